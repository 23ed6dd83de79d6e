//! User administration: lists with filters, sorting and pagination; role changes that apply to
//! existing tokens; the last admin protected.

use futures_util::TryStreamExt;
use skyclust_sdk::types::{
    CreateUserRequest, ListQuery, Permission, Role, SortDirection, UpdateUserRequest, UserFilters,
};
use skyclust_sdk::{Error, ErrorCode};
use skyclust_tests::{TestServer, each_backend};

use crate::register;

fn new_user(name: &str, role: Option<Role>) -> CreateUserRequest {
    CreateUserRequest {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: format!("password-{name}"),
        role,
        is_active: None,
    }
}

#[tokio::test]
async fn admins_list_filter_sort_and_page_users() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "ada").await;
        for (name, role) in
            [("bob", Role::User), ("cyd", Role::Viewer), ("dee", Role::User), ("eve", Role::Viewer)]
        {
            admin.users().create(&new_user(name, Some(role))).await.unwrap();
        }
        let viewers = admin
            .users()
            .list(
                &ListQuery::default()
                    .sort_by("username", SortDirection::Asc)
                    .filters(UserFilters { role: vec![Role::Viewer], is_active: None }),
            )
            .await
            .unwrap();
        assert_eq!(viewers.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["cyd", "eve"]);
        assert_eq!(viewers.pagination.total, 2);

        let two_roles = UserFilters { role: vec![Role::Viewer, Role::Admin], is_active: Some(true) };
        let page = admin
            .users()
            .list(
                &ListQuery::default()
                    .limit(2)
                    .offset(1)
                    .sort_by("username", SortDirection::Desc)
                    .filters(two_roles),
            )
            .await
            .unwrap();
        assert_eq!(page.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["cyd", "ada"]);
        let pagination = page.pagination;
        assert_eq!((pagination.limit, pagination.offset, pagination.total), (2, 1, 3));
        assert!(!pagination.has_next && pagination.has_prev);

        let beyond = admin.users().list(&ListQuery::default().offset(50)).await.unwrap();
        assert!(beyond.users.is_empty());
        assert_eq!(beyond.pagination.total, 5, "the total is known past the last page");

        let everyone: Vec<_> =
            admin.users().list_all(ListQuery::default().limit(2)).try_collect().await.unwrap();
        assert_eq!(everyone.len(), 5);
        let newest_first: Vec<_> = everyone.iter().map(|u| u.created_at).collect();
        assert!(newest_first.windows(2).all(|pair| pair[0] >= pair[1]), "default sort is created_at:desc");

        let today = chrono::Utc::now().date_naive();
        let in_range = admin
            .users()
            .list(&ListQuery::default().created_between(
                Some(today.and_hms_opt(0, 0, 0).unwrap().and_utc()),
                Some(chrono::Utc::now() + chrono::Duration::minutes(1)),
            ))
            .await
            .unwrap();
        assert_eq!(in_range.pagination.total, 5);
        let http = reqwest::Client::new();
        let token = admin.token().unwrap();
        for (query, field) in [
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("sort=password_hash:asc", "sort"),
            ("sort=username", "sort"),
            ("offset=-1", "offset"),
            ("role=root", "role"),
            ("start_date=yesterday", "start_date"),
            ("offset=9223372036854775808", "offset"),
        ] {
            let response = http
                .get(format!("{}/users?{query}", server.api_url))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 400, "{query}");
            let body: serde_json::Value = response.json().await.unwrap();
            assert!(body["data"]["fields"][field].is_string(), "{query}: {body}");
        }
        // An inverted range matches nothing; a date-only end covers its whole day.
        let inverted = admin
            .users()
            .list(&ListQuery::default().created_between(
                Some(chrono::Utc::now() + chrono::Duration::days(1)),
                Some(chrono::Utc::now() - chrono::Duration::days(1)),
            ))
            .await
            .unwrap();
        assert_eq!(inverted.pagination.total, 0);

        let response = http
            .get(format!("{}/users?start_date={today}&end_date={today}", server.api_url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["data"]["pagination"]["total"], 5, "{body}");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn role_changes_and_deactivation_apply_to_existing_tokens() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "ada").await;
        let grace_client = server.client();
        let grace = register(&grace_client, "grace").await.user;
        assert_eq!(
            grace_client.users().list(&ListQuery::default()).await.unwrap_err().code(),
            Some(ErrorCode::Forbidden)
        );

        let promoted = admin
            .users()
            .update(grace.id, &UpdateUserRequest { role: Some(Role::Admin), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(promoted.role, Role::Admin);
        assert!(promoted.updated_at > grace.updated_at);
        assert!(
            grace_client.users().list(&ListQuery::default()).await.is_ok(),
            "the old token carries the new role"
        );
        assert!(grace_client.auth().me().await.unwrap().permissions.contains(&Permission::UserDelete));

        let renamed = admin
            .users()
            .update(grace.id, &UpdateUserRequest { username: Some("grace.h".into()), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(
            (renamed.username.as_str(), renamed.role),
            ("grace.h", Role::Admin),
            "absent fields are kept"
        );

        admin
            .users()
            .update(grace.id, &UpdateUserRequest { is_active: Some(false), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(grace_client.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        let relogin = server
            .client()
            .auth()
            .login(&skyclust_sdk::types::LoginRequest {
                email: "grace@example.com".into(),
                password: "password-grace".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(relogin.code(), Some(ErrorCode::Unauthorized));

        let fetched = admin.users().get(grace.id).await.unwrap();
        assert!(!fetched.is_active);
        let taken = admin
            .users()
            .update(grace.id, &UpdateUserRequest { username: Some("ADA".into()), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(taken.code(), Some(ErrorCode::Conflict));
        let missing = admin.users().get(uuid::Uuid::new_v4()).await.unwrap_err();
        assert_eq!(missing.code(), Some(ErrorCode::NotFound));
        let duplicate = admin.users().create(&new_user("grace2", None)).await.unwrap();
        let same_email =
            CreateUserRequest { email: duplicate.email.to_uppercase(), ..new_user("grace3", None) };
        assert_eq!(admin.users().create(&same_email).await.unwrap_err().code(), Some(ErrorCode::Conflict));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_removed() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin_client = server.client();
        let ada = register(&admin_client, "ada").await.user;
        let is_last_admin = |result: Result<_, Error>| {
            assert_eq!(result.err().and_then(|error| error.code()), Some(ErrorCode::Conflict));
        };
        is_last_admin(
            admin_client
                .users()
                .update(ada.id, &UpdateUserRequest { role: Some(Role::User), ..Default::default() })
                .await
                .map(|_| ()),
        );
        is_last_admin(
            admin_client
                .users()
                .update(ada.id, &UpdateUserRequest { is_active: Some(false), ..Default::default() })
                .await
                .map(|_| ()),
        );
        is_last_admin(admin_client.users().delete(ada.id).await);

        // An inactive admin does not count as the other admin.
        let dormant = admin_client
            .users()
            .create(&CreateUserRequest { is_active: Some(false), ..new_user("dormant", Some(Role::Admin)) })
            .await
            .unwrap();
        is_last_admin(admin_client.users().delete(ada.id).await);

        let second = admin_client.users().create(&new_user("bea", Some(Role::Admin))).await.unwrap();
        admin_client
            .users()
            .update(ada.id, &UpdateUserRequest { role: Some(Role::User), ..Default::default() })
            .await
            .unwrap();
        let bea = server.client_as(&second);
        is_last_admin(bea.users().delete(second.id).await);
        bea.users().delete(dormant.id).await.unwrap();
        bea.users().delete(ada.id).await.unwrap();
        assert_eq!(bea.users().get(ada.id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
        assert_eq!(
            admin_client.auth().me().await.unwrap_err().code(),
            Some(ErrorCode::Unauthorized),
            "a deleted user's token dies"
        );
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
