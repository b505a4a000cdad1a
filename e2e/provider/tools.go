//go:build tools

// Package tools pins the provider's main package as a dependency of this
// wrapper module so that `go mod tidy` keeps it (and its go.sum entries).
package tools

import _ "github.com/terraform-providers/terraform-provider-docker"
