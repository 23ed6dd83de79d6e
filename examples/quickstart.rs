//! A first session with SkyClust: register (or sign in), look at yourself and the server.
//!
//! Start a server (`cargo run -p skyclust-server`), then:
//!
//! ```text
//! cargo run -p skyclust-examples --example quickstart -- http://127.0.0.1:8080/api/v1
//! ```

use skyclust_sdk::types::{LoginRequest, RegisterRequest};
use skyclust_sdk::{ErrorCode, SkyClustClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8080/api/v1".to_owned());
    let client = SkyClustClient::new(base_url)?;

    let health = client.health().get().await?;
    println!("server is {:?} (up {})", health.status, health.uptime);

    let registration = RegisterRequest {
        username: "quickstart".into(),
        email: "quickstart@example.com".into(),
        password: "quickstart-password".into(),
    };
    match client.auth().register(&registration).await {
        Ok(session) => println!("registered {} as {:?}", session.user.username, session.user.role),
        Err(error) if error.code() == Some(ErrorCode::Conflict) => {
            let session = client
                .auth()
                .login(&LoginRequest {
                    email: registration.email.clone(),
                    password: registration.password.clone(),
                })
                .await?;
            println!("signed in as {}", session.user.username);
        }
        Err(error) => return Err(error.into()),
    }

    let me = client.auth().me().await?;
    let permissions: Vec<&str> = me.permissions.iter().map(|permission| permission.as_str()).collect();
    println!("role {:?}; permissions: {}", me.user.role, permissions.join(", "));

    if let Some(metrics) = client.health().get().await?.metrics {
        println!("server memory: {} MiB resident", metrics.memory.resident_mb);
    }

    client.auth().logout().await?;
    println!("signed out");
    Ok(())
}
