package referenceapp

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf-docker-production/cdktf-docker-production-go/cdktfdockerproduction"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

const stackName = "reference-app"

// TestMain starts in the repository root, before the jsii runtime starts its Node process (which
// keeps the folder it started in): the local backend's state path is relative to it, as for the
// TypeScript app.
func TestMain(m *testing.M) {
	if root := os.Getenv("REPO_ROOT"); root != "" {
		if err := os.Chdir(root); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// repoRoot is the repository root: REPO_ROOT (lang/go/check.sh sets it; the test runs in a copy).
func repoRoot(t *testing.T) string {
	root := os.Getenv("REPO_ROOT")
	if root == "" {
		t.Fatal("REPO_ROOT is not set")
	}
	return root
}

func read(t *testing.T, outdir, name string) interface{} {
	raw, err := os.ReadFile(filepath.Join(outdir, "stacks", stackName, name))
	if err != nil {
		t.Fatal(err)
	}
	var v interface{}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// withoutMetadata drops cdktf's metadata ("//": {"metadata": ...}): what may differ between languages.
func withoutMetadata(v interface{}) interface{} {
	switch x := v.(type) {
	case map[string]interface{}:
		out := map[string]interface{}{}
		for k, item := range x {
			if m, ok := item.(map[string]interface{}); ok && k == "//" {
				copied := map[string]interface{}{}
				for mk, mv := range m {
					if mk != "metadata" {
						copied[mk] = mv
					}
				}
				if len(copied) == 0 {
					continue
				}
				item = copied
			}
			out[k] = withoutMetadata(item)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, item := range x {
			out[i] = withoutMetadata(item)
		}
		return out
	}
	return v
}

func TestSynthesizedJsonEqualsTheTypeScriptApps(t *testing.T) {
	root := repoRoot(t)
	tmp := t.TempDir()
	tsOut, goOut := filepath.Join(tmp, "ts"), filepath.Join(tmp, "go")
	node := os.Getenv("NODE")
	if node == "" {
		node = "node"
	}
	cmd := exec.Command(node, filepath.Join(root, "node_modules/ts-node/dist/bin.js"), "--transpile-only", "lang/synth-reference.ts", tsOut)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lang/synth-reference.ts: %v\n%s", err, out)
	}

	app := cdktf.NewApp(&cdktf.AppConfig{Outdir: jsii.String(goOut)})
	stack := NewReferenceApp(app, stackName, filepath.Join(root, "examples/reference-app/api"))
	cdktf.Aspects_Of(stack).Add(cdktfdockerproduction.NewProductionChecks(nil))
	app.Synth()

	goJSON, tsJSON := read(t, goOut, "cdk.tf.json"), read(t, tsOut, "cdk.tf.json")
	containers := goJSON.(map[string]interface{})["resource"].(map[string]interface{})["docker_container"].(map[string]interface{})
	if len(containers) != 3 {
		t.Fatalf("want 3 containers, got %d", len(containers))
	}
	if !reflect.DeepEqual(withoutMetadata(goJSON), withoutMetadata(tsJSON)) {
		a, _ := json.MarshalIndent(withoutMetadata(goJSON), "", " ")
		b, _ := json.MarshalIndent(withoutMetadata(tsJSON), "", " ")
		t.Fatalf("the Go app's cdk.tf.json differs from the TypeScript app's:\n--- go\n%s\n--- ts\n%s", a, b)
	}
	file := *cdktfdockerproduction.ProductionChecks_REVIEW_FILE()
	if !reflect.DeepEqual(read(t, goOut, file), read(t, tsOut, file)) {
		t.Fatalf("the Go app's %s differs from the TypeScript app's", file)
	}
}

// panicOf runs fn and returns what it panicked with (nil when it did not).
func panicOf(fn func()) (recovered interface{}) {
	defer func() { recovered = recover() }()
	fn()
	return nil
}

func TestABadPropPanicsWithAnErrorNamingTheConstructPathAndTheProp(t *testing.T) {
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("bad-app"))
	cdktfdockerproduction.NewDockerHost(stack, jsii.String("host"), nil)
	recovered := panicOf(func() {
		cdktfdockerproduction.NewServiceContainer(stack, jsii.String("cache"), &cdktfdockerproduction.ServiceContainerProps{
			Image:     cdktfdockerproduction.ContainerImage_FromRegistry(jsii.String("redis:7.4-alpine"), nil),
			MemoryMiB: jsii.Number(2),
		})
	})
	err, ok := recovered.(error)
	if !ok {
		t.Fatalf("want a panic with an error, got %T %v", recovered, recovered)
	}
	message := err.Error()
	if !strings.Contains(message, "bad-app/cache") || !strings.Contains(message, "memoryMiB") {
		t.Fatalf("the message names neither the path nor the prop: %s", message)
	}
	details := cdktfdockerproduction.Errors_ValidationDetails(jsii.String(message))
	if details == nil {
		t.Fatalf("no validation details for: %s", message)
	}
	if got := fmt.Sprintf("%s %s", *details.ConstructPath, *details.Prop); got != "bad-app/cache memoryMiB" {
		t.Fatalf("details name %q", got)
	}
	if cdktfdockerproduction.Errors_ValidationDetails(jsii.String("bad-app/cache: something else")) != nil {
		t.Fatal("details for a message the library did not make")
	}
}
