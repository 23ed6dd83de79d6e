//! Every operation of the API, declared once. [`ALL`] lists them for the document generator
//! and the drift tests; the server routes and the SDK calls name these same types.

use crate::endpoint::{Access, Empty, Endpoint, Method, Operation};
use crate::{ErrorCode, Permission};

/// Every declared operation, in document order.
pub const ALL: &[Operation] = &[
    Operation::of::<auth::Register>(),
    Operation::of::<auth::Login>(),
    Operation::of::<auth::Logout>(),
    Operation::of::<auth::Me>(),
    Operation::of::<health::GetHealth>(),
    Operation::of::<health::GetDbHealth>(),
    Operation::of::<health::GetRedisHealth>(),
];

/// Sign-up, sign-in, sign-out and the current caller.
pub mod auth {
    use super::*;
    use crate::auth::{AuthResponse, CurrentUser, LoginRequest, RegisterRequest};

    /// `POST /auth/register`: create an account and sign in.
    #[derive(Debug)]
    pub struct Register;
    impl Endpoint for Register {
        const ID: &'static str = "register";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/register";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Register a new user";
        const DESCRIPTION: &'static str = "The first user ever registered becomes `admin`; later users get `user`. \
             Answers 409 when the email or username is taken, 403 when registration is closed.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("User registered successfully");
        const ACCESS: Access = Access::Public;
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Conflict, ErrorCode::Forbidden];
        type Path = Empty;
        type Query = Empty;
        type Body = RegisterRequest;
        type Response = AuthResponse;
    }

    /// `POST /auth/login`: exchange email and password for a token.
    #[derive(Debug)]
    pub struct Login;
    impl Endpoint for Login {
        const ID: &'static str = "login";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/login";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Sign in with email and password";
        const DESCRIPTION: &'static str =
            "Unknown emails and wrong passwords get the same 401 answer.";
        const MESSAGE: Option<&'static str> = Some("Login successful");
        const ACCESS: Access = Access::Public;
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Unauthorized];
        type Path = Empty;
        type Query = Empty;
        type Body = LoginRequest;
        type Response = AuthResponse;
    }

    /// `POST /auth/logout`: revoke the token that made this request.
    #[derive(Debug)]
    pub struct Logout;
    impl Endpoint for Logout {
        const ID: &'static str = "logout";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/logout";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Revoke the current token";
        const DESCRIPTION: &'static str =
            "The bearer token of this request is refused from now on, until it would have expired.";
        const MESSAGE: Option<&'static str> = Some("Logout successful");
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }

    /// `GET /auth/me`: the caller, its role and permissions.
    #[derive(Debug)]
    pub struct Me;
    impl Endpoint for Me {
        const ID: &'static str = "get_current_user";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/auth/me";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "The authenticated caller";
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = CurrentUser;
    }
}

/// Liveness and dependency checks.
pub mod health {
    use super::*;
    use crate::health::{DbHealth, Health, RedisHealth};

    /// `GET /health`: public liveness, with process metrics for `system:read` holders.
    #[derive(Debug)]
    pub struct GetHealth;
    impl Endpoint for GetHealth {
        const ID: &'static str = "get_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Server health";
        const DESCRIPTION: &'static str = "Public. Callers holding `system:read` also get `metrics`. \
             Credentials are optional, but when sent they must be valid.";
        const ACCESS: Access = Access::Optional;
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = Health;
    }

    /// `GET /health/db`: a measured database round-trip and pool figures.
    #[derive(Debug)]
    pub struct GetDbHealth;
    impl Endpoint for GetDbHealth {
        const ID: &'static str = "get_db_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health/db";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Database health";
        const DESCRIPTION: &'static str =
            "Answers 503 (with the figures in `data`) when the database does not answer.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::SystemRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::ServiceUnavailable];
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = DbHealth;
    }

    /// `GET /health/redis`: Redis figures, or `disabled` when none is configured.
    #[derive(Debug)]
    pub struct GetRedisHealth;
    impl Endpoint for GetRedisHealth {
        const ID: &'static str = "get_redis_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health/redis";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Redis health";
        const DESCRIPTION: &'static str = "Answers `\"status\": \"disabled\"` while no Redis is configured, 503 when it does not answer.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::SystemRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::ServiceUnavailable];
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = RedisHealth;
    }
}
