// Package referenceapp is the reference app of examples/reference-app/app.ts (default props),
// written against the Go module (run by lang/go/check.sh).
package referenceapp

import (
	"os"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf-docker-production/cdktf-docker-production-go/cdktfdockerproduction"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// NewReferenceApp declares web (published) -> api (built from a small Dockerfile) -> cache
// (with a data volume) on a public and an internal network.
func NewReferenceApp(scope constructs.Construct, id string, apiContext string) cdktf.TerraformStack {
	stack := cdktf.NewTerraformStack(scope, jsii.String(id))
	registry, ok := os.LookupEnv("REGISTRY_ADDRESS")
	if !ok {
		registry = "http://localhost:5000"
	}
	registryHost := strings.TrimRight(regexp.MustCompile(`^https?://`).ReplaceAllString(registry, ""), "/")

	cdktfdockerproduction.NewDockerHost(stack, jsii.String("host"), &cdktfdockerproduction.DockerHostProps{
		Registries: &[]cdktfdockerproduction.RegistryCredentials{
			cdktfdockerproduction.RegistryCredentials_FromEnvironment(jsii.String(registry), jsii.String("REGISTRY_USER"), jsii.String("REGISTRY_PASSWORD")),
		},
	})
	front := cdktfdockerproduction.NewServiceNetwork(stack, jsii.String("front"), nil)
	back := cdktfdockerproduction.NewServiceNetwork(stack, jsii.String("back"), &cdktfdockerproduction.ServiceNetworkProps{
		Internal: jsii.Bool(true),
		Subnet:   jsii.String("10.20.0.0/24"),
	})
	data := cdktfdockerproduction.NewDataVolume(stack, jsii.String("cache-data"), nil)

	apiImage := cdktfdockerproduction.NewMinimalImage(stack, jsii.String("api-image"), &cdktfdockerproduction.MinimalImageProps{
		Context: jsii.String(apiContext),
		Name:    jsii.String("team/api:1.4.2"),
	})
	push := cdktfdockerproduction.NewRegistryPush(stack, jsii.String("api-push"), &cdktfdockerproduction.RegistryPushProps{
		Image:      apiImage,
		Repository: jsii.String(registryHost + "/team/api"),
		Tags:       jsii.Strings("1.4.2"),
	})

	cache := cdktfdockerproduction.NewServiceContainer(stack, jsii.String("cache"), &cdktfdockerproduction.ServiceContainerProps{
		Image:       cdktfdockerproduction.ContainerImage_FromRegistry(jsii.String("redis:7.4-alpine"), nil),
		User:        jsii.String("redis"),
		Networks:    &[]cdktfdockerproduction.ServiceNetwork{back},
		Volumes:     &[]*cdktfdockerproduction.VolumeMount{{Volume: data, ContainerPath: jsii.String("/data")}},
		MemoryMiB:   jsii.Number(256),
		Healthcheck: cdktfdockerproduction.Healthcheck_Command(jsii.Strings("redis-cli", "ping"), nil),
	})
	api := cdktfdockerproduction.NewServiceContainer(stack, jsii.String("api"), &cdktfdockerproduction.ServiceContainerProps{
		Image:       apiImage,
		Networks:    &[]cdktfdockerproduction.ServiceNetwork{front, back},
		Environment: &map[string]*string{"CACHE_HOST": jsii.String("cache"), "CACHE_PORT": jsii.String("6379")},
		Healthcheck: cdktfdockerproduction.Healthcheck_Http(jsii.Number(8080), jsii.String("/health"), nil),
		DependsOn:   &[]cdktfdockerproduction.ServiceContainer{cache},
	})
	web := cdktfdockerproduction.NewServiceContainer(stack, jsii.String("web"), &cdktfdockerproduction.ServiceContainerProps{
		Image:           cdktfdockerproduction.ContainerImage_FromRegistry(jsii.String("nginx:1.27-alpine"), nil),
		Networks:        &[]cdktfdockerproduction.ServiceNetwork{front},
		Ports:           &[]cdktfdockerproduction.PortMapping{cdktfdockerproduction.PortMapping_Public(jsii.Number(8080), jsii.Number(80), cdktfdockerproduction.Protocol_TCP)},
		AddCapabilities: jsii.Strings("CHOWN", "SETUID", "SETGID"),
		WritablePaths:   jsii.Strings("/var/cache/nginx", "/var/run"),
		Healthcheck:     cdktfdockerproduction.Healthcheck_Http(jsii.Number(80), jsii.String("/"), nil),
		DependsOn:       &[]cdktfdockerproduction.ServiceContainer{api},
	})

	cdktfdockerproduction.ProductionChecks_Suppress(web, jsii.String("port-published-on-all-interfaces"),
		jsii.String("web is the public entry point of the app; api and cache publish nothing"))
	cdktfdockerproduction.ProductionChecks_Suppress(web, jsii.String("user-not-set"),
		jsii.String("nginx's master process starts as root to switch to the nginx user; only CHOWN, SETUID and SETGID are kept"))

	cdktf.NewTerraformOutput(stack, jsii.String("web_url"), &cdktf.TerraformOutputConfig{Value: jsii.String("http://localhost:8080/")})
	refs := []string{}
	for _, r := range *push.References() {
		refs = append(refs, *r)
	}
	cdktf.NewTerraformOutput(stack, jsii.String("api_image"), &cdktf.TerraformOutputConfig{Value: jsii.String(strings.Join(refs, ", "))})
	return stack
}
