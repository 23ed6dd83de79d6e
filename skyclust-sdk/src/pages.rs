//! Lists as streams: every page fetched in turn, items yielded one by one.

use futures_util::stream::{self, Stream, StreamExt};
use skyclust_types::list::{ListQuery, Listing, Page};
use skyclust_types::{Empty, Endpoint};

use crate::client::SkyClustClient;
use crate::error::Result;

/// Every item of the list `E`, from `query`'s offset on, fetching pages as needed.
pub(crate) fn all_items<'a, E, L>(
    client: &'a SkyClustClient,
    query: ListQuery<L>,
) -> impl Stream<Item = Result<<E::Response as Page>::Item>> + 'a
where
    L: Listing,
    E: Endpoint<Path = Empty, Query = ListQuery<L>, Body = Empty>,
    E::Response: Page,
    <E::Response as Page>::Item: 'a,
{
    all_items_at::<E, L>(client, Empty {}, query)
}

/// As [`all_items`], for a list under `path` (a resource's sub-collection).
pub(crate) fn all_items_at<'a, E, L>(
    client: &'a SkyClustClient,
    path: E::Path,
    query: ListQuery<L>,
) -> impl Stream<Item = Result<<E::Response as Page>::Item>> + 'a
where
    L: Listing,
    E: Endpoint<Query = ListQuery<L>, Body = Empty>,
    E::Path: Clone + 'a,
    E::Response: Page,
    <E::Response as Page>::Item: 'a,
{
    stream::unfold(Some(query), move |next| {
        let path = path.clone();
        async move {
            let query = next?;
            match client.send::<E>(&path, &query, &Empty {}).await {
                Ok(page) => {
                    let offset = query.effective_offset();
                    let more = page.pagination().has_next && !page.items().is_empty();
                    let items = page.into_items();
                    let following = more.then(|| query.clone().offset(offset + items.len() as u64));
                    Some((Ok(items), following))
                }
                Err(error) => Some((Err(error), None)),
            }
        }
    })
    .flat_map(|page| match page {
        Ok(items) => stream::iter(items.into_iter().map(Ok)).left_stream(),
        Err(error) => stream::once(async move { Err(error) }).right_stream(),
    })
}
