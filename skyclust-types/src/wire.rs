//! Wire names of the contract's enums. Serde's attributes are the one source: parsing goes
//! through serde, and every `as_str` table and `ALL` list is checked against serde and the
//! OpenAPI schema (tests below), so a renamed or added variant cannot drift.

use serde::de::{DeserializeOwned, IntoDeserializer, value::Error};

/// The variant whose wire name is `name`, as serde reads it.
pub(crate) fn parse<T: DeserializeOwned>(name: &str) -> Option<T> {
    T::deserialize(IntoDeserializer::<Error>::into_deserializer(name)).ok()
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::Value;
    use utoipa::PartialSchema;

    use crate::*;

    /// `all` is every value the schema lists, in its order, and each variant's `as_str` is
    /// the name serde writes and reads.
    fn agrees<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned + PartialSchema,
    {
        let schema = serde_json::to_value(T::schema()).unwrap();
        let listed: Vec<&str> =
            schema["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let names: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
        assert_eq!(names, listed, "{}", std::any::type_name::<T>());
        for &value in all {
            assert_eq!(serde_json::to_value(value).unwrap(), Value::String(as_str(value).into()));
            assert_eq!(super::parse::<T>(as_str(value)), Some(value));
        }
        assert_eq!(super::parse::<T>("no-such-name"), None);
    }

    #[test]
    fn every_wire_table_agrees_with_serde_and_the_schema() {
        agrees(&Role::ALL, Role::as_str);
        agrees(&Permission::ALL, Permission::as_str);
        agrees(&VmStatus::ALL, VmStatus::as_str);
        agrees(&NotificationType::ALL, NotificationType::as_str);
        agrees(&events::EventType::ALL, events::EventType::as_str);
        agrees(&list::SortDirection::ALL, list::SortDirection::as_str);
        agrees(&Provider::ALL, Provider::as_str);
        agrees(&CostPeriod::ALL, CostPeriod::as_str);
        agrees(&MemberRole::ALL, MemberRole::as_str);
    }

    #[test]
    fn error_codes_and_priorities_agree_with_serde() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), Value::String(code.as_str().into()));
            assert_eq!(super::parse::<ErrorCode>(code.as_str()), Some(code));
        }
        // A code a newer server sends is read as Unknown, not refused.
        assert_eq!(super::parse::<ErrorCode>("TEAPOT"), Some(ErrorCode::Unknown));
        let schema = serde_json::to_value(Priority::schema()).unwrap();
        let listed: Vec<Value> = schema["enum"].as_array().unwrap().clone();
        let all: Vec<Value> = Priority::ALL.iter().map(|p| serde_json::to_value(p).unwrap()).collect();
        assert_eq!(all, listed);
    }
}
