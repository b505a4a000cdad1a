// Wrapper module that builds the kreuzwerker/docker Terraform provider v3.6.2
// (commit 2f20f8c3ce8290fcd03d96e69c7bc6338897a479) from the Go module proxy.
// The provider's go.mod declares the old module path below and its v3 tags lack
// a /v3 suffix, so it can only be required as a pseudo-version via replace.
// Used by e2e/setup.sh: go build -o <mirror> github.com/terraform-providers/terraform-provider-docker
module cdktf-docker-production/e2e/provider

go 1.24

require github.com/terraform-providers/terraform-provider-docker v0.0.0-20250613214648-2f20f8c3ce82

replace github.com/terraform-providers/terraform-provider-docker => github.com/kreuzwerker/terraform-provider-docker v0.0.0-20250613214648-2f20f8c3ce82
