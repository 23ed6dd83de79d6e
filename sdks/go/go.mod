module github.com/skyclust/sdk-go

go 1.19

require (
	github.com/gorilla/websocket v1.5.0
	gopkg.in/validator.v2 v2.0.0-00010101000000-000000000000
)

// Built from the copies Debian ships (see third_party/README.md), so the SDK builds without a
// module proxy.
replace (
	github.com/gorilla/websocket => ./third_party/websocket
	gopkg.in/validator.v2 => ./third_party/validator.v2
)
