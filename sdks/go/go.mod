module github.com/skyclust/sdk-go

go 1.19

require gopkg.in/validator.v2 v2.0.0-00010101000000-000000000000

// The generated client's one dependency, built from the copy Debian ships (see its README), so
// the SDK builds without a module proxy.
replace gopkg.in/validator.v2 => ./third_party/validator.v2
