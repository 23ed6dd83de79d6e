//! The one list mechanism of every collection: `limit`/`offset` pagination, `sort=field:dir`
//! from a per-endpoint whitelist, repeatable filters, and a `created_at` date range.
//!
//! An endpoint declares its listing once with a [`Listing`] impl; [`ListQuery`] then parses,
//! validates, serializes and documents the query string for the server, the SDK and the
//! OpenAPI document alike.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Required, Schema};
use utoipa::{IntoParams, ToSchema};

use crate::validation::{FieldErrors, Validate};

/// Largest page size of any list.
pub const MAX_LIMIT: u32 = 100;

/// What a `limit` out of range or not a number is told.
const LIMIT_RANGE: &str = "must be an integer between 1 and 100";
/// Largest offset (what a signed 64-bit integer holds).
pub const MAX_OFFSET: u64 = i64::MAX as u64;

/// Most values one repeatable filter takes (`?status=running&status=stopped…`): each becomes a
/// bound parameter of the list's query.
pub const MAX_FILTER_VALUES: usize = 100;

/// How one endpoint lists: page size, sortable fields, filters.
pub trait Listing: Send + Sync + 'static {
    /// Page size when `limit` is absent.
    const DEFAULT_LIMIT: u32;
    /// Fields `sort` may name; each is a column of the listed table.
    const SORTABLE: &'static [&'static str];
    /// The sort when `sort` is absent.
    const DEFAULT_SORT: (&'static str, SortDirection) = ("created_at", SortDirection::Desc);
    /// Query names of the `created_at` range: `start_date`/`end_date` unless overridden.
    const RANGE_PARAMS: (&'static str, &'static str) = ("start_date", "end_date");
    /// The endpoint's own filters (repeated query parameters become lists).
    type Filters: IntoParams
        + Serialize
        + DeserializeOwned
        + Validate
        + Default
        + Clone
        + fmt::Debug
        + Send
        + Sync;
}

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl SortDirection {
    /// Both directions.
    pub const ALL: [SortDirection; 2] = [SortDirection::Asc, SortDirection::Desc];

    /// `asc` or `desc`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SortDirection::Asc => "asc",
            SortDirection::Desc => "desc",
        }
    }
}

/// A validated sort: a whitelisted field and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The field (always one of the listing's `SORTABLE`).
    pub field: &'static str,
    /// The direction.
    pub direction: SortDirection,
}

/// `pagination` of every list answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"limit": 20, "offset": 0, "total": 150, "has_next": true, "has_prev": false}))]
pub struct Pagination {
    /// Page size used.
    pub limit: u32,
    /// Items skipped.
    pub offset: u64,
    /// Items matching the query across all pages.
    pub total: u64,
    /// Whether items follow this page.
    pub has_next: bool,
    /// Whether items precede this page.
    pub has_prev: bool,
}

impl Pagination {
    /// The pagination of a page at `offset` of size `limit` out of `total`.
    pub fn new(limit: u32, offset: u64, total: u64) -> Pagination {
        Pagination {
            limit,
            offset,
            total,
            has_next: offset.saturating_add(u64::from(limit)) < total,
            has_prev: offset > 0,
        }
    }
}

/// A list answer: its items and where the page stands.
pub trait Page {
    /// The listed model.
    type Item;
    /// The page's items.
    fn items(&self) -> &[Self::Item];
    /// Takes the items out.
    fn into_items(self) -> Vec<Self::Item>;
    /// The pagination block.
    fn pagination(&self) -> &Pagination;
}

/// The query of a list endpoint declared by `L`.
///
/// ```
/// use skyclust_types::list::{ListQuery, SortDirection};
/// use skyclust_types::users::UserListing;
/// let query = ListQuery::<UserListing>::default().limit(10).sort_by("username", SortDirection::Asc);
/// assert_eq!(serde_html_form::to_string(&query).unwrap(), "limit=10&sort=username%3Aasc");
/// ```
pub struct ListQuery<L: Listing> {
    /// Page size (`1..=100`; the listing's default when absent).
    pub limit: Option<u32>,
    /// Items to skip.
    pub offset: Option<u64>,
    /// `field:asc|desc`.
    pub sort: Option<String>,
    /// Only items created at or after this time.
    pub created_from: Option<DateTime<Utc>>,
    /// Only items created at or before this time.
    pub created_to: Option<DateTime<Utc>>,
    /// The endpoint's own filters.
    pub filters: L::Filters,
    listing: PhantomData<fn() -> L>,
}

impl<L: Listing> Default for ListQuery<L> {
    fn default() -> Self {
        ListQuery {
            limit: None,
            offset: None,
            sort: None,
            created_from: None,
            created_to: None,
            filters: L::Filters::default(),
            listing: PhantomData,
        }
    }
}

impl<L: Listing> Clone for ListQuery<L> {
    fn clone(&self) -> Self {
        ListQuery {
            limit: self.limit,
            offset: self.offset,
            sort: self.sort.clone(),
            created_from: self.created_from,
            created_to: self.created_to,
            filters: self.filters.clone(),
            listing: PhantomData,
        }
    }
}

impl<L: Listing> fmt::Debug for ListQuery<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListQuery")
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("sort", &self.sort)
            .field("created_from", &self.created_from)
            .field("created_to", &self.created_to)
            .field("filters", &self.filters)
            .finish()
    }
}

impl<L: Listing> ListQuery<L> {
    /// Sets the page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Sets how many items to skip.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Sorts by `field` in `direction`.
    pub fn sort_by(mut self, field: &str, direction: SortDirection) -> Self {
        self.sort = Some(format!("{field}:{}", direction.as_str()));
        self
    }

    /// Only items created within `[from, to]` (either end may be open).
    pub fn created_between(mut self, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> Self {
        self.created_from = from;
        self.created_to = to;
        self
    }

    /// Sets the endpoint's filters.
    pub fn filters(mut self, filters: L::Filters) -> Self {
        self.filters = filters;
        self
    }

    /// The page size to use.
    pub fn effective_limit(&self) -> u32 {
        self.limit.unwrap_or(L::DEFAULT_LIMIT)
    }

    /// The offset to use.
    pub fn effective_offset(&self) -> u64 {
        self.offset.unwrap_or(0)
    }

    /// The `pagination` of the page this query selects, out of `total` matching items.
    pub fn pagination(&self, total: u64) -> Pagination {
        Pagination::new(self.effective_limit(), self.effective_offset(), total)
    }

    /// The validated sort (the listing's default when absent or invalid; validation rejects
    /// invalid ones before this is used).
    pub fn effective_sort(&self) -> Sort {
        self.sort
            .as_deref()
            .and_then(parse_sort::<L>)
            .unwrap_or(Sort { field: L::DEFAULT_SORT.0, direction: L::DEFAULT_SORT.1 })
    }
}

fn parse_sort<L: Listing>(text: &str) -> Option<Sort> {
    let (field, direction) = match text.split_once(':') {
        Some((field, "asc")) => (field, SortDirection::Asc),
        Some((field, "desc")) => (field, SortDirection::Desc),
        _ => return None,
    };
    let field = L::SORTABLE.iter().find(|allowed| **allowed == field)?;
    Some(Sort { field, direction })
}

impl<L: Listing> Validate for ListQuery<L> {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = match self.filters.validate() {
            Ok(()) => FieldErrors::default(),
            Err(errors) => errors,
        };
        if let Some(limit) = self.limit
            && !(1..=MAX_LIMIT).contains(&limit)
        {
            errors.add("limit", LIMIT_RANGE);
        }
        if let Some(sort) = &self.sort
            && parse_sort::<L>(sort).is_none()
        {
            errors.add(
                "sort",
                format!("must be field:asc or field:desc with field one of: {}", L::SORTABLE.join(", ")),
            );
        }
        if self.offset.is_some_and(|offset| offset > MAX_OFFSET) {
            errors.add("offset", format!("must be at most {MAX_OFFSET}"));
        }
        errors.into_result()
    }
}

impl<L: Listing> Serialize for ListQuery<L> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit".into(), limit.to_string()));
        }
        if let Some(offset) = self.offset {
            pairs.push(("offset".into(), offset.to_string()));
        }
        if let Some(sort) = &self.sort {
            pairs.push(("sort".into(), sort.clone()));
        }
        let rfc3339 = |time: &DateTime<Utc>| time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        if let Some(from) = &self.created_from {
            pairs.push((L::RANGE_PARAMS.0.into(), rfc3339(from)));
        }
        if let Some(to) = &self.created_to {
            pairs.push((L::RANGE_PARAMS.1.into(), rfc3339(to)));
        }
        let filters = serde_html_form::to_string(&self.filters).map_err(serde::ser::Error::custom)?;
        let filters: Vec<(String, String)> =
            serde_html_form::from_str(&filters).map_err(serde::ser::Error::custom)?;
        pairs.extend(filters);
        pairs.serialize(serializer)
    }
}

impl<'de, L: Listing> Deserialize<'de> for ListQuery<L> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, String)>::deserialize(deserializer)?;
        let mut query = ListQuery::<L>::default();
        let mut rest: Vec<(String, String)> = Vec::new();
        let number_error = |field: &str| match field {
            "limit" => D::Error::custom(format!("field `limit`: {LIMIT_RANGE}")),
            _ => D::Error::custom(format!("field `{field}`: must be a non-negative integer")),
        };
        let time = |field: &str, value: &str| {
            parse_time(value).ok_or_else(|| {
                D::Error::custom(format!(
                    "field `{field}`: must be a date (2024-01-31) or an RFC 3339 date-time with its offset \
                     (2024-01-31T12:00:00Z), in the years 1970 to 9999"
                ))
            })
        };
        {
            let mut given: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
            for (key, _) in &pairs {
                *given.entry(key.as_str()).or_default() += 1;
            }
            // A second `limit` or `sort` would otherwise silently win, and every filter value
            // becomes a bound parameter of the list's query.
            let single = ["limit", "offset", "sort", L::RANGE_PARAMS.0, L::RANGE_PARAMS.1];
            for (key, count) in given {
                if count > 1 && single.contains(&key) {
                    return Err(D::Error::custom(format!("field `{key}`: must be given once")));
                }
                if count > MAX_FILTER_VALUES {
                    return Err(D::Error::custom(format!(
                        "field `{key}`: must be given at most {MAX_FILTER_VALUES} times"
                    )));
                }
            }
        }
        for (key, value) in pairs {
            match key.as_str() {
                "limit" => query.limit = Some(value.parse().map_err(|_| number_error("limit"))?),
                "offset" => query.offset = Some(value.parse().map_err(|_| number_error("offset"))?),
                "sort" => query.sort = Some(value),
                key if key == L::RANGE_PARAMS.0 => query.created_from = Some(time(key, &value)?),
                key if key == L::RANGE_PARAMS.1 => {
                    query.created_to = Some(end_of(time(key, &value)?, &value))
                }
                _ => rest.push((key, value)),
            }
        }
        let encoded = serde_html_form::to_string(&rest).map_err(D::Error::custom)?;
        let filters = serde_html_form::Deserializer::from_bytes(encoded.as_bytes());
        query.filters = serde_path_to_error::deserialize(filters).map_err(|error| {
            let field = error.path().to_string();
            let field = field.split('[').next().unwrap_or(&field).to_owned();
            D::Error::custom(format!("field `{field}`: {}", error.into_inner()))
        })?;
        Ok(query)
    }
}

/// A yes/no query parameter: `true` or `false`, nothing else (serde_html_form alone would also
/// read an HTML checkbox's `on` as true, yet refuse `off`).
pub(crate) fn yes_no<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match String::deserialize(deserializer)?.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(D::Error::custom("must be true or false")),
    }
}

/// A yes/no filter ([`yes_no`]), absent when not given.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    yes_no(deserializer).map(Some)
}

/// `2024-01-31` or any RFC 3339 date-time, in the years every timestamp input is held to.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    use chrono::Datelike;
    let (written_year, time) = match DateTime::parse_from_rfc3339(text) {
        Ok(time) => (time.year(), time.with_timezone(&Utc)),
        Err(_) => {
            let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            (date.year(), date.and_hms_opt(0, 0, 0)?.and_utc())
        }
    };
    // The year as written is what the document's pattern holds to 1970–9999; an offset that
    // carries the instant past either end is clamped to it, which selects the same records
    // (none lie outside).
    let (first, last) = storable_range();
    crate::validation::STORABLE_YEARS.contains(&written_year).then(|| time.clamp(first, last))
}

/// The first and last instants every timestamp input is held to.
fn storable_range() -> (DateTime<Utc>, DateTime<Utc>) {
    let first = DateTime::<Utc>::UNIX_EPOCH;
    let last = chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|day| day.and_hms_micro_opt(23, 59, 59, 999_999))
        .map(|time| time.and_utc())
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    (first, last)
}

/// A bare date as the end of a range means the whole day.
fn end_of(time: DateTime<Utc>, text: &str) -> DateTime<Utc> {
    if text.len() == 10 { time + chrono::Duration::days(1) - chrono::Duration::microseconds(1) } else { time }
}

impl<L: Listing> IntoParams for ListQuery<L> {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let integer = |minimum: i64, maximum: Option<i64>, default: Option<u32>| -> RefOr<Schema> {
            let mut schema = ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(minimum));
            if let Some(maximum) = maximum {
                schema = schema.maximum(Some(maximum));
            }
            if let Some(default) = default {
                schema = schema.default(Some(default.into()));
            }
            schema.into()
        };
        let sorts: Vec<String> =
            L::SORTABLE.iter().flat_map(|field| [format!("{field}:asc"), format!("{field}:desc")]).collect();
        // A bare date (`2024-01-31`, the whole day) or an RFC 3339 date-time.
        let formatted = |format: KnownFormat| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(format)))
                .pattern(Some(crate::validation::STORABLE_YEARS_PATTERN))
        };
        let date_time: RefOr<Schema> = utoipa::openapi::schema::AnyOfBuilder::new()
            .item(formatted(KnownFormat::Date))
            .item(formatted(KnownFormat::DateTime))
            .into();
        let query = |name: &str, description: String, schema: RefOr<Schema>| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(schema))
                .build()
        };
        let mut params = vec![
            query(
                "limit",
                format!("Page size, 1 to {MAX_LIMIT} (default {})", L::DEFAULT_LIMIT),
                integer(1, Some(i64::from(MAX_LIMIT)), Some(L::DEFAULT_LIMIT)),
            ),
            query("offset", "Items to skip (default 0)".into(), integer(0, Some(i64::MAX), None)),
            query(
                "sort",
                format!(
                    "`field:asc` or `field:desc`; sortable fields: {} (default `{}:{}`)",
                    L::SORTABLE.join(", "),
                    L::DEFAULT_SORT.0,
                    L::DEFAULT_SORT.1.as_str()
                ),
                ObjectBuilder::new().schema_type(Type::String).enum_values(Some(sorts)).into(),
            ),
            query(
                L::RANGE_PARAMS.0,
                "Only items created at or after this date or time (ISO 8601, years 1970 to 9999)".into(),
                date_time.clone(),
            ),
            query(
                L::RANGE_PARAMS.1,
                "Only items created at or before this date (inclusive) or time (ISO 8601, years 1970 to 9999)"
                    .into(),
                date_time,
            ),
        ];
        for mut param in L::Filters::into_params(|| Some(ParameterIn::Query)) {
            // Every repeatable filter takes at most MAX_FILTER_VALUES values, unless it says
            // fewer; a filter documented by `schema_with` carries its description in the schema.
            if let Some(RefOr::T(Schema::Array(array))) = &mut param.schema {
                array.max_items.get_or_insert(MAX_FILTER_VALUES);
                if param.description.is_none() {
                    param.description = array.description.take();
                }
            }
            params.push(param);
        }
        params
    }
}

#[cfg(test)]
mod tests;
