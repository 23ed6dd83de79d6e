//! Notifications: filters, unread counts, and marking read, for their recipient only.

use skyclust_sdk::ErrorCode;
use skyclust_sdk::types::{ListQuery, NotificationFilters, NotificationType, Priority, SortDirection};
use skyclust_server::storage::notifications;
use skyclust_tests::{TestServer, each_backend};

use crate::register;

#[tokio::test]
async fn a_user_reads_filters_and_marks_only_their_own() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let eve = server.client();
        register(&eve, "eve").await;
        for (title, kind, priority) in [
            ("vm up", NotificationType::Success, Priority::Low),
            ("quota", NotificationType::Warning, Priority::High),
            ("vm failed", NotificationType::Error, Priority::Critical),
            ("fyi", NotificationType::Info, Priority::Medium),
        ] {
            notifications::insert(&server.state.db, ada_id, title, "details", kind, priority).await.unwrap();
        }
        let all = ada.notifications().list(&ListQuery::default()).await.unwrap();
        assert_eq!((all.pagination.total, all.unread_count), (4, 4));
        assert_eq!(all.notifications[0].title, "fyi", "newest first");

        let urgent = ada
            .notifications()
            .list(&ListQuery::default().sort_by("priority", SortDirection::Desc).filters(
                NotificationFilters {
                    priority: vec![Priority::High, Priority::Critical],
                    ..Default::default()
                },
            ))
            .await
            .unwrap();
        assert_eq!(
            urgent.notifications.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(),
            ["vm failed", "quota"]
        );
        let problems = ada
            .notifications()
            .list(&ListQuery::default().filters(NotificationFilters {
                kind: vec![NotificationType::Error, NotificationType::Warning],
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(problems.pagination.total, 2);

        // Eve can neither see nor mark ada's.
        assert_eq!(eve.notifications().list(&ListQuery::default()).await.unwrap().pagination.total, 0);
        let first = all.notifications[0].id;
        assert_eq!(eve.notifications().mark_read(first).await.unwrap_err().code(), Some(ErrorCode::NotFound));
        assert_eq!(eve.notifications().mark_all_read().await.unwrap(), 0);

        ada.notifications().mark_read(first).await.unwrap();
        ada.notifications().mark_read(first).await.expect("marking twice is harmless");
        let unread = ada
            .notifications()
            .list(
                &ListQuery::default()
                    .filters(NotificationFilters { unread_only: Some(true), ..Default::default() }),
            )
            .await
            .unwrap();
        assert_eq!((unread.pagination.total, unread.unread_count), (3, 3));
        let read = ada.notifications().list(&ListQuery::default()).await.unwrap();
        let marked = read.notifications.iter().find(|n| n.id == first).unwrap();
        assert!(marked.is_read && marked.read_at.is_some());

        assert_eq!(ada.notifications().mark_all_read().await.unwrap(), 3);
        assert_eq!(ada.notifications().list(&ListQuery::default()).await.unwrap().unread_count, 0);
        assert_eq!(
            ada.notifications().mark_read(uuid::Uuid::new_v4()).await.unwrap_err().code(),
            Some(ErrorCode::NotFound)
        );
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
