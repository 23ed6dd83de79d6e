//! User administration.

use skyclust_types::operations::users;

use super::*;

/// User administration (`user:*` permissions); from [`SkyClustClient::users`].
#[derive(Debug, Clone, Copy)]
pub struct UsersHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> UsersHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        UsersHandle { client }
    }

    /// `GET /users`: one page.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{ListQuery, Role, SortDirection, UserFilters};
    /// let admins = client
    ///     .users()
    ///     .list(&ListQuery::default().sort_by("username", SortDirection::Asc).filters(UserFilters {
    ///         role: vec![Role::Admin],
    ///         is_active: Some(true),
    ///     }))
    ///     .await?;
    /// println!("{} active admins", admins.pagination.total);
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, query: &ListQuery<UserListing>) -> Result<UserList> {
        self.client.send::<users::ListUsers>(&Empty {}, query, &Empty {}).await
    }

    /// Every user matching `query`, page after page.
    pub fn list_all(&self, query: ListQuery<UserListing>) -> impl Stream<Item = Result<User>> + 'a {
        all_items::<users::ListUsers, _>(self.client, query)
    }

    /// `POST /users`.
    pub async fn create(&self, request: &CreateUserRequest) -> Result<User> {
        self.client.send::<users::CreateUser>(&Empty {}, &Empty {}, request).await
    }

    /// `GET /users/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<User> {
        self.client.send::<users::GetUser>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `PUT /users/{id}`.
    pub async fn update(&self, id: Uuid, request: &UpdateUserRequest) -> Result<User> {
        self.client.send::<users::UpdateUser>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /users/{id}`.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<users::DeleteUser>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }
}

impl SkyClustClient {
    /// User administration.
    pub fn users(&self) -> UsersHandle<'_> {
        UsersHandle::new(self)
    }
}
