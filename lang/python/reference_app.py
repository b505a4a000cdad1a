"""The reference app of examples/reference-app/app.ts (default props), written against the Python package."""
import os

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from cdktf_docker_production import (
    ContainerImage,
    DataVolume,
    DockerHost,
    Healthcheck,
    MinimalImage,
    PortMapping,
    ProductionChecks,
    RegistryCredentials,
    RegistryPush,
    ServiceContainer,
    ServiceNetwork,
    VolumeMount,
)


class ReferenceApp(TerraformStack):
    """web (published) -> api (built from a small Dockerfile) -> cache (with a data volume)."""

    def __init__(self, scope: Construct, id: str, *, api_context: str) -> None:
        super().__init__(scope, id)
        registry = os.environ.get("REGISTRY_ADDRESS", "http://localhost:5000")
        registry_host = registry.split("://", 1)[-1].rstrip("/")

        DockerHost(self, "host", registries=[
            RegistryCredentials.from_environment(registry, "REGISTRY_USER", "REGISTRY_PASSWORD"),
        ])
        front = ServiceNetwork(self, "front")
        back = ServiceNetwork(self, "back", internal=True, subnet="10.20.0.0/24")
        data = DataVolume(self, "cache-data")

        self.api_image = MinimalImage(self, "api-image", context=api_context, name="team/api:1.4.2")
        self.push = RegistryPush(self, "api-push", image=self.api_image,
                                 repository=f"{registry_host}/team/api", tags=["1.4.2"])

        self.cache = ServiceContainer(
            self, "cache",
            image=ContainerImage.from_registry("redis:7.4-alpine"),
            user="redis",
            networks=[back],
            volumes=[VolumeMount(volume=data, container_path="/data")],
            memory_mib=256,
            healthcheck=Healthcheck.command(["redis-cli", "ping"]),
        )
        self.api = ServiceContainer(
            self, "api",
            image=self.api_image,
            networks=[front, back],
            environment={"CACHE_HOST": "cache", "CACHE_PORT": "6379"},
            healthcheck=Healthcheck.http(8080, "/health"),
            depends_on=[self.cache],
        )
        self.web = ServiceContainer(
            self, "web",
            image=ContainerImage.from_registry("nginx:1.27-alpine"),
            networks=[front],
            ports=[PortMapping.public(8080, 80)],
            add_capabilities=["CHOWN", "SETUID", "SETGID"],
            writable_paths=["/var/cache/nginx", "/var/run"],
            healthcheck=Healthcheck.http(80, "/"),
            depends_on=[self.api],
        )

        ProductionChecks.suppress(self.web, "port-published-on-all-interfaces",
                                  "web is the public entry point of the app; api and cache publish nothing")
        ProductionChecks.suppress(self.web, "user-not-set",
                                  "nginx's master process starts as root to switch to the nginx user; "
                                  "only CHOWN, SETUID and SETGID are kept")

        TerraformOutput(self, "web_url", value="http://localhost:8080/")
        TerraformOutput(self, "api_image", value=", ".join(self.push.references))
