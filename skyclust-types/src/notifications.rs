//! Notifications: messages to one user about what happened to their things.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate};

/// What kind of news it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NotificationType {
    /// Something happened.
    Info,
    /// Something finished well.
    Success,
    /// Something needs attention.
    Warning,
    /// Something failed.
    Error,
}

/// How urgent it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Whenever.
    Low,
    /// Soon.
    Medium,
    /// Now.
    High,
    /// Right now.
    Critical,
}

impl NotificationType {
    /// Every type.
    pub const ALL: [NotificationType; 4] = [
        NotificationType::Info,
        NotificationType::Success,
        NotificationType::Warning,
        NotificationType::Error,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            NotificationType::Info => "info",
            NotificationType::Success => "success",
            NotificationType::Warning => "warning",
            NotificationType::Error => "error",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<NotificationType> {
        crate::wire::parse(name)
    }
}

impl Priority {
    /// Every priority, least urgent first.
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];

    /// The rank stored and sorted by: 0 (low) to 3 (critical).
    pub const fn rank(self) -> i64 {
        match self {
            Priority::Low => 0,
            Priority::Medium => 1,
            Priority::High => 2,
            Priority::Critical => 3,
        }
    }

    /// The priority of a rank.
    pub fn from_rank(rank: i64) -> Option<Priority> {
        Priority::ALL.into_iter().find(|priority| priority.rank() == rank)
    }
}

/// A notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d",
    "title": "Added to a workspace",
    "message": "ada added you to \"production\" as member",
    "type": "info",
    "priority": "medium",
    "is_read": false,
    "created_at": "2024-01-01T00:00:00Z"
}))]
pub struct Notification {
    /// Id.
    pub id: Uuid,
    /// A short title.
    pub title: String,
    /// The message.
    pub message: String,
    /// What kind of news.
    #[serde(rename = "type")]
    pub kind: NotificationType,
    /// How urgent.
    pub priority: Priority,
    /// Whether it was marked read.
    pub is_read: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was marked read.
    pub read_at: Option<DateTime<Utc>>,
}

/// How `GET /notifications` lists: your own, newest first.
#[derive(Debug)]
pub struct NotificationListing;

impl Listing for NotificationListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["created_at", "priority"];
    type Filters = NotificationFilters;
}

/// Filters of `GET /notifications`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationFilters {
    /// Only unread notifications.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub unread_only: Option<bool>,
    /// Only these types (repeatable).
    #[serde(default, rename = "type", skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<NotificationType>,
    /// Only these priorities (repeatable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority: Vec<Priority>,
}

impl Validate for NotificationFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /notifications` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NotificationList {
    /// This page of notifications.
    pub notifications: Vec<Notification>,
    /// Unread notifications in all (regardless of filters).
    pub unread_count: u64,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for NotificationList {
    type Item = Notification;
    fn items(&self) -> &[Notification] {
        &self.notifications
    }
    fn into_items(self) -> Vec<Notification> {
        self.notifications
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

/// `PUT /notifications/read-all` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadAllResult {
    /// How many notifications were marked read.
    pub updated: u64,
}
