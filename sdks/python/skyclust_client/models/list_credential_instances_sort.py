from enum import StrEnum


class ListCredentialInstancesSort(StrEnum):
    INSTANCE_IDASC = "instance_id:asc"
    INSTANCE_IDDESC = "instance_id:desc"
    INSTANCE_TYPEASC = "instance_type:asc"
    INSTANCE_TYPEDESC = "instance_type:desc"
    LAUNCHED_ATASC = "launched_at:asc"
    LAUNCHED_ATDESC = "launched_at:desc"
    NAMEASC = "name:asc"
    NAMEDESC = "name:desc"
    REGIONASC = "region:asc"
    REGIONDESC = "region:desc"
    STATUSASC = "status:asc"
    STATUSDESC = "status:desc"

    def __str__(self) -> str:
        return str(self.value)
