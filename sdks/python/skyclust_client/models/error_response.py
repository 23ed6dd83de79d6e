from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_code import ErrorCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_response_data_type_0 import ErrorResponseDataType0


T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """An error response: `{success: false, error, code, data?, request_id, timestamp}`.

    Example:
        {'code': 'VALIDATION_ERROR', 'data': {'fields': {'email': 'must be a valid email address'}}, 'error': 'Request
            validation failed: email must be a valid email address', 'request_id': 'req_3f0c2a9d8e7b4c61a5d4e3f2b1a09876',
            'success': False, 'timestamp': '2024-01-01T00:00:00Z'}

    Attributes:
        success (bool): Always `false`.
        error (str): A human-readable message. Never contains secrets.
        code (ErrorCode): Machine-readable error code
        request_id (str): The request id, also sent as the `X-Request-ID` header.
        timestamp (datetime.datetime): When the response was produced.
        data (ErrorResponseDataType0 | None | Unset): Details, e.g. `{"fields": {"email": "…"}}` for validation errors.
    """

    success: bool
    error: str
    code: ErrorCode
    request_id: str
    timestamp: datetime.datetime
    data: ErrorResponseDataType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_response_data_type_0 import ErrorResponseDataType0

        success = self.success

        error = self.error

        code = self.code.value

        request_id = self.request_id

        timestamp = self.timestamp.isoformat()

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, ErrorResponseDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "error": error,
                "code": code,
                "request_id": request_id,
                "timestamp": timestamp,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_response_data_type_0 import ErrorResponseDataType0

        d = dict(src_dict)
        success = d.pop("success")

        error = d.pop("error")

        code = ErrorCode(d.pop("code"))

        request_id = d.pop("request_id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_data(data: object) -> ErrorResponseDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ErrorResponseDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorResponseDataType0 | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        error_response = cls(
            success=success,
            error=error,
            code=code,
            request_id=request_id,
            timestamp=timestamp,
            data=data,
        )

        error_response.additional_properties = d
        return error_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
