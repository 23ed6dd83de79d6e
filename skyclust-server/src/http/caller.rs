//! The caller a handler receives, typed by what its operation's declared access guarantees: a
//! handler of an `Access::Authenticated` operation may take a [`Principal`], one of an
//! `Access::Optional` operation an `Option<Principal>`, and any handler may take no caller at
//! all. [`crate::http::Api::endpoint`] checks the pairing while compiling, so no handler tests
//! at run time whether someone is there.
//!
//! `GET /health` takes credentials when sent (`Access::Optional`), so its handler may ask for
//! an `Option<Principal>`:
//!
//! ```
//! # use skyclust_server::{ApiResult, auth::Principal, http::{Api, Ctx, Input}};
//! # use skyclust_types::{Health, operations::health::GetHealth};
//! async fn health(_: Ctx, caller: Option<Principal>, _: Input<GetHealth>) -> ApiResult<Health> {
//!     # unreachable!()
//! }
//! let api = Api::default().endpoint::<GetHealth, _>(health);
//! ```
//!
//! but not for a `Principal`, which the operation does not guarantee:
//!
//! ```compile_fail,E0080
//! # use skyclust_server::{ApiResult, auth::Principal, http::{Api, Ctx, Input}};
//! # use skyclust_types::{Health, operations::health::GetHealth};
//! async fn health(_: Ctx, caller: Principal, _: Input<GetHealth>) -> ApiResult<Health> {
//!     # unreachable!()
//! }
//! let api = Api::default().endpoint::<GetHealth, _>(health);
//! ```

use skyclust_types::Access;

use crate::auth::Principal;

/// What a handler asks to know about its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    /// Nothing.
    Nobody,
    /// The caller, when credentials were sent.
    Optional,
    /// The caller, always.
    Required,
}

/// A handler's caller argument.
pub trait Caller: Sized + Send + 'static {
    /// What this argument needs the operation's access to guarantee.
    const KIND: CallerKind;

    /// The argument, from the principal authorization found (`None` only when the declared
    /// access does not supply one, which [`supplies`] rules out while compiling).
    fn from_authorized(principal: Option<Principal>) -> Option<Self>;
}

/// The argument of a handler that does not look at its caller.
#[derive(Debug, Clone, Copy)]
pub struct Anyone;

impl Caller for Anyone {
    const KIND: CallerKind = CallerKind::Nobody;

    fn from_authorized(_: Option<Principal>) -> Option<Self> {
        Some(Anyone)
    }
}

impl Caller for Option<Principal> {
    const KIND: CallerKind = CallerKind::Optional;

    fn from_authorized(principal: Option<Principal>) -> Option<Self> {
        Some(principal)
    }
}

impl Caller for Principal {
    const KIND: CallerKind = CallerKind::Required;

    fn from_authorized(principal: Option<Principal>) -> Option<Self> {
        principal
    }
}

/// Whether an operation declared with `access` always supplies what `kind` asks for. A public
/// operation never looks at credentials, so even an optional caller would always be absent.
pub const fn supplies(access: Access, kind: CallerKind) -> bool {
    match kind {
        CallerKind::Nobody => true,
        CallerKind::Optional => !matches!(access, Access::Public),
        CallerKind::Required => matches!(access, Access::Authenticated(_)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_match_the_access_that_supplies_them() {
        let authenticated = Access::Authenticated(None);
        for access in [Access::Public, Access::Optional, authenticated] {
            assert!(supplies(access, CallerKind::Nobody));
        }
        assert!(!supplies(Access::Public, CallerKind::Optional));
        assert!(supplies(Access::Optional, CallerKind::Optional));
        assert!(supplies(authenticated, CallerKind::Optional));
        assert!(!supplies(Access::Public, CallerKind::Required));
        assert!(!supplies(Access::Optional, CallerKind::Required));
        assert!(supplies(authenticated, CallerKind::Required));
    }
}
