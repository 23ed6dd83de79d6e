//! Workspaces and their members.

use skyclust_types::operations::workspaces;

use super::*;

/// Workspaces and their members; from [`SkyClustClient::workspaces`].
#[derive(Debug, Clone, Copy)]
pub struct WorkspacesHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> WorkspacesHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        WorkspacesHandle { client }
    }

    /// `GET /workspaces`: one page of the workspaces you own or belong to.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::ListQuery;
    /// let page = client.workspaces().list(&ListQuery::default().limit(10)).await?;
    /// for workspace in page.workspaces {
    ///     println!("{} ({})", workspace.name, workspace.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, query: &ListQuery<WorkspaceListing>) -> Result<WorkspaceList> {
        self.client.send::<workspaces::ListWorkspaces>(&Empty {}, query, &Empty {}).await
    }

    /// Every visible workspace, page after page.
    pub fn list_all(&self, query: ListQuery<WorkspaceListing>) -> impl Stream<Item = Result<Workspace>> + 'a {
        all_items::<workspaces::ListWorkspaces, _>(self.client, query)
    }

    /// `POST /workspaces`.
    pub async fn create(&self, request: &CreateWorkspaceRequest) -> Result<Workspace> {
        self.client.send::<workspaces::CreateWorkspace>(&Empty {}, &Empty {}, request).await
    }

    /// `GET /workspaces/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<Workspace> {
        self.client.send::<workspaces::GetWorkspace>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `PUT /workspaces/{id}`.
    pub async fn update(&self, id: Uuid, request: &UpdateWorkspaceRequest) -> Result<Workspace> {
        self.client.send::<workspaces::UpdateWorkspace>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /workspaces/{id}`.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<workspaces::DeleteWorkspace>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }

    /// `GET /workspaces/{id}/members`: one page.
    pub async fn members(&self, id: Uuid, query: &ListQuery<MemberListing>) -> Result<MemberList> {
        self.client.send::<workspaces::ListMembers>(&IdPath { id }, query, &Empty {}).await
    }

    /// `POST /workspaces/{id}/members`.
    pub async fn add_member(&self, id: Uuid, request: &AddMemberRequest) -> Result<WorkspaceMember> {
        self.client.send::<workspaces::AddMember>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /workspaces/{id}/members/{user_id}`.
    pub async fn remove_member(&self, id: Uuid, user_id: Uuid) -> Result<()> {
        self.client
            .send::<workspaces::RemoveMember>(&MemberPath { id, user_id }, &Empty {}, &Empty {})
            .await?;
        Ok(())
    }
}

impl SkyClustClient {
    /// Workspaces and their members.
    pub fn workspaces(&self) -> WorkspacesHandle<'_> {
        WorkspacesHandle::new(self)
    }
}
