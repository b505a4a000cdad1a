package example;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformStack;
import io.github.cdktfdockerproduction.ContainerImage;
import io.github.cdktfdockerproduction.DataVolume;
import io.github.cdktfdockerproduction.DockerHost;
import io.github.cdktfdockerproduction.Healthcheck;
import io.github.cdktfdockerproduction.MinimalImage;
import io.github.cdktfdockerproduction.PortMapping;
import io.github.cdktfdockerproduction.ProductionChecks;
import io.github.cdktfdockerproduction.RegistryCredentials;
import io.github.cdktfdockerproduction.RegistryPush;
import io.github.cdktfdockerproduction.ServiceContainer;
import io.github.cdktfdockerproduction.ServiceNetwork;
import io.github.cdktfdockerproduction.VolumeMount;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/** The reference app of examples/reference-app/app.ts (default props), written against the Java package. */
public class ReferenceApp extends TerraformStack {
    public final ServiceContainer web;
    public final ServiceContainer api;
    public final ServiceContainer cache;

    public ReferenceApp(final Construct scope, final String id, final String apiContext) {
        super(scope, id);
        String registry = System.getenv().getOrDefault("REGISTRY_ADDRESS", "http://localhost:5000");
        String registryHost = registry.replaceFirst("^https?://", "").replaceFirst("/+$", "");

        DockerHost.Builder.create(this, "host")
                .registries(List.of(RegistryCredentials.fromEnvironment(registry, "REGISTRY_USER", "REGISTRY_PASSWORD")))
                .build();
        ServiceNetwork front = new ServiceNetwork(this, "front");
        ServiceNetwork back = ServiceNetwork.Builder.create(this, "back").internal(true).subnet("10.20.0.0/24").build();
        DataVolume data = new DataVolume(this, "cache-data");

        MinimalImage apiImage = MinimalImage.Builder.create(this, "api-image").context(apiContext).name("team/api:1.4.2").build();
        RegistryPush push = RegistryPush.Builder.create(this, "api-push")
                .image(apiImage).repository(registryHost + "/team/api").tags(List.of("1.4.2")).build();

        cache = ServiceContainer.Builder.create(this, "cache")
                .image(ContainerImage.fromRegistry("redis:7.4-alpine"))
                .user("redis")
                .networks(List.of(back))
                .volumes(List.of(VolumeMount.builder().volume(data).containerPath("/data").build()))
                .memoryMiB(256)
                .healthcheck(Healthcheck.command(List.of("redis-cli", "ping")))
                .build();
        api = ServiceContainer.Builder.create(this, "api")
                .image(apiImage)
                .networks(List.of(front, back))
                .environment(Map.of("CACHE_HOST", "cache", "CACHE_PORT", "6379"))
                .healthcheck(Healthcheck.http(8080, "/health"))
                .dependsOn(List.of(cache))
                .build();
        web = ServiceContainer.Builder.create(this, "web")
                .image(ContainerImage.fromRegistry("nginx:1.27-alpine"))
                .networks(List.of(front))
                // PortMapping.public is PortMapping.doPublic in Java (public is a reserved word).
                .ports(List.of(PortMapping.onAllInterfaces(8080, 80)))
                .addCapabilities(List.of("CHOWN", "SETUID", "SETGID"))
                .writablePaths(List.of("/var/cache/nginx", "/var/run"))
                .healthcheck(Healthcheck.http(80, "/"))
                .dependsOn(List.of(api))
                .build();

        ProductionChecks.suppress(web, "port-published-on-all-interfaces",
                "web is the public entry point of the app; api and cache publish nothing");
        ProductionChecks.suppress(web, "user-not-set",
                "nginx's master process starts as root to switch to the nginx user; only CHOWN, SETUID and SETGID are kept");

        TerraformOutput.Builder.create(this, "web_url").value("http://localhost:8080/").build();
        TerraformOutput.Builder.create(this, "api_image").value(String.join(", ", push.getReferences())).build();
    }
}
