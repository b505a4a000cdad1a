package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import com.hashicorp.cdktf.Aspects;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import io.github.cdktfdockerproduction.ContainerImage;
import io.github.cdktfdockerproduction.DockerHost;
import io.github.cdktfdockerproduction.Errors;
import io.github.cdktfdockerproduction.PortMapping;
import io.github.cdktfdockerproduction.ProductionChecks;
import io.github.cdktfdockerproduction.ServiceContainer;
import io.github.cdktfdockerproduction.ValidationErrorDetails;
import software.amazon.jsii.JsiiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference app written in Java synthesizes the same Terraform JSON as the TypeScript one, and a
 * bad prop raises an error that names the construct path and the prop.
 */
class ReferenceAppTest {
    static final Path ROOT = Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    static final String STACK = "reference-app";
    static final ObjectMapper JSON = new ObjectMapper();
    static Path tsOut;
    static Path javaOut;

    @BeforeAll
    static void synthesize() throws Exception {
        Path tmp = Files.createTempDirectory("cdktf-docker-java-");
        tsOut = tmp.resolve("ts");
        javaOut = tmp.resolve("java");
        String node = System.getenv().getOrDefault("NODE", "node");
        Process ts = new ProcessBuilder(node, ROOT.resolve("node_modules/ts-node/dist/bin.js").toString(), "--transpile-only",
                "lang/synth-reference.ts", tsOut.toString())
                .directory(ROOT.toFile()).inheritIO().start();
        assertEquals(0, ts.waitFor(), "lang/synth-reference.ts failed");

        App app = new App(AppConfig.builder().outdir(javaOut.toString()).build());
        ReferenceApp stack = new ReferenceApp(app, STACK, ROOT.resolve("examples/reference-app/api").toString());
        Aspects.of(stack).add(new ProductionChecks());
        app.synth();
    }

    static JsonNode read(Path outdir, String name) throws IOException {
        return JSON.readTree(outdir.resolve("stacks").resolve(STACK).resolve(name).toFile());
    }

    /** The JSON without cdktf's metadata ({@code "//": {"metadata": ...}}): what may differ between languages. */
    static JsonNode withoutMetadata(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode value = f.getValue();
                if (f.getKey().equals("//") && value.isObject()) {
                    ObjectNode copy = ((ObjectNode) value).deepCopy();
                    copy.remove("metadata");
                    if (copy.isEmpty()) continue;
                    value = copy;
                }
                out.set(f.getKey(), withoutMetadata(value));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(item -> out.add(withoutMetadata(item)));
            return out;
        }
        return node;
    }

    @Test
    void synthesizedJsonEqualsTheTypeScriptApps() throws IOException {
        JsonNode java = read(javaOut, "cdk.tf.json");
        JsonNode ts = read(tsOut, "cdk.tf.json");
        List<String> names = new ArrayList<>();
        java.get("resource").get("docker_container").forEach(c -> names.add(c.get("name").asText()));
        names.sort(null);
        assertEquals(List.of("api", "cache", "web"), names);
        assertEquals(withoutMetadata(ts), withoutMetadata(java));
    }

    @Test
    void productionReviewFileEqualsTheTypeScriptApps() throws IOException {
        assertEquals("production-review.json", ProductionChecks.REVIEW_FILE);
        JsonNode java = read(javaOut, ProductionChecks.REVIEW_FILE);
        assertEquals(read(tsOut, ProductionChecks.REVIEW_FILE), java);
        assertTrue(java.get("stacks").get(0).get("findings").size() > 0);
    }

    @Test
    void aBadPropRaisesAnErrorNamingTheConstructPathAndTheProp() {
        TerraformStack stack = new TerraformStack(Testing.app(), "bad-app");
        new DockerHost(stack, "host");
        // The jsii runtime's exception for an error thrown in JavaScript (a RuntimeException).
        JsiiError e = assertThrows(JsiiError.class, () -> ServiceContainer.Builder.create(stack, "cache")
                .image(ContainerImage.fromRegistry("redis:7.4-alpine")).memoryMiB(2).build());
        String message = e.getMessage();
        assertTrue(message.contains("bad-app/cache"), message);
        assertTrue(message.contains("memoryMiB"), message);
        ValidationErrorDetails details = Errors.validationDetails(message);
        assertNotNull(details, "validationDetails of: " + message + " (" + e.getClass().getName() + ")");
        assertEquals("bad-app/cache", details.getConstructPath());
        assertEquals("memoryMiB", details.getProp());
        assertTrue(message.contains(details.getAllowed()));
        assertNull(Errors.validationDetails("bad-app/cache: something else"));
        // An unpinned image is refused when a container binds it, naming the container and its prop.
        JsiiError unpinned = assertThrows(JsiiError.class, () -> ServiceContainer.Builder.create(stack, "web")
                .image(ContainerImage.fromRegistry("nginx:latest")).build());
        ValidationErrorDetails web = Errors.validationDetails(unpinned.getMessage());
        assertEquals(List.of("bad-app/web", "image"), List.of(web.getConstructPath(), web.getProp()));
    }

    @Test
    void publicIsDoPublicAndOnAllInterfacesIsTheSame() {
        PortMapping a = PortMapping.doPublic(8080, 80);
        PortMapping b = PortMapping.onAllInterfaces(8080, 80);
        assertEquals("0.0.0.0", a.getHostIp());
        assertEquals(a.getHostIp(), b.getHostIp());
        assertEquals(a.getHostPort().intValue(), b.getHostPort().intValue());
        assertEquals(ServiceContainer.SUPERVISOR_LABEL, "cdktf-docker-production/supervisor");
    }
}
