package org.massagetriage.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifest written at package ({@code target/kubernetes/kubernetes.yml}:
 * quarkus-kubernetes from application.properties, merged with {@code src/main/kubernetes/}), read
 * as a cluster would read it. An IT because the manifest exists only after {@code package}; it
 * starts no application. docs/scaling.md explains every value asserted here.
 */
class KubernetesManifestIT {

    static final Path MANIFEST = Path.of(System.getProperty("kubernetes.manifest", "target/kubernetes/kubernetes.yml"));
    static final String NAME = "soreness-triage";
    static final String RULES_DIRECTORY = "/deployments/rules";

    /** Every resource of the manifest by kind; each kind appears once. */
    static Map<String, Map<String, Object>> resources;

    @BeforeAll
    static void readManifest() throws IOException {
        assertTrue(Files.exists(MANIFEST), MANIFEST + " is written by ./mvnw package");
        resources = new TreeMap<>();
        for (Object document : new Yaml().loadAll(Files.readString(MANIFEST, StandardCharsets.UTF_8))) {
            if (document == null) {
                continue; // an empty document before the first "---"
            }
            Map<String, Object> resource = map(document);
            Object previous = resources.put((String) resource.get("kind"), resource);
            assertEquals(null, previous, () -> "two resources of kind " + resource.get("kind"));
        }
    }

    @Test
    void shouldHoldTheDeploymentItsServiceTheBudgetAndTheAutoscalerUnderOneName() {
        assertEquals(Set.of("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"), resources.keySet(),
                "no ServiceMonitor: it needs the Prometheus operator's resource definitions");
        resources.values().forEach(r -> assertEquals(NAME, at(r, "metadata", "name")));
        assertEquals("apps/v1", resources.get("Deployment").get("apiVersion"));
        assertEquals("policy/v1", resources.get("PodDisruptionBudget").get("apiVersion"));
        assertEquals("autoscaling/v2", resources.get("HorizontalPodAutoscaler").get("apiVersion"));
    }

    @Test
    void shouldSelectPodsByNameOnlySoThatTheNextReleaseAppliesOverThisOne() {
        Map<String, Object> deployment = resources.get("Deployment");
        assertEquals(Map.of("app.kubernetes.io/name", NAME), at(deployment, "spec", "selector", "matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", NAME), at(resources.get("Service"), "spec", "selector"));
        assertEquals(NAME, at(deployment, "spec", "template", "metadata", "labels", "app.kubernetes.io/name"));
        assertEquals(2, at(deployment, "spec", "replicas"));
        assertFalse(map(at(deployment, "spec", "template", "metadata", "annotations")).containsKey("app.quarkus.io/build-timestamp"),
                "a build time in the pod template would restart every pod on each apply");
    }

    @Test
    void shouldServePort8080AsTheServicesPort80() {
        assertEquals(List.of(Map.of("containerPort", 8080, "name", "http", "protocol", "TCP")), container().get("ports"));
        assertEquals(List.of(Map.of("name", "http", "port", 80, "protocol", "TCP", "targetPort", 8080)),
                at(resources.get("Service"), "spec", "ports"));
    }

    @Test
    void shouldNameTheImageWithoutARegistryAndRunItAsNonRoot() {
        Object version = at(resources.get("Deployment"), "metadata", "labels", "app.kubernetes.io/version");
        assertEquals(NAME + ":" + version, container().get("image"), "no registry: a deployment names its own at package");
        assertEquals("IfNotPresent", container().get("imagePullPolicy"));
        assertEquals(Map.of("runAsNonRoot", true), at(podSpec(), "securityContext"));
    }

    /** The kubelet's three probes on SmallRye Health's paths; start-up gets three minutes for the rules' compilation. */
    @Nested
    class Probes {

        @Test
        void shouldCheckLivenessAtHealthLive() {
            assertEquals(Map.of("path", "/q/health/live", "port", 8080, "scheme", "HTTP"), at(container(), "livenessProbe", "httpGet"));
            assertEquals(10, at(container(), "livenessProbe", "periodSeconds"));
            assertEquals(3, at(container(), "livenessProbe", "failureThreshold"));
        }

        @Test
        void shouldCheckReadinessAtHealthReady() {
            assertEquals(Map.of("path", "/q/health/ready", "port", 8080, "scheme", "HTTP"), at(container(), "readinessProbe", "httpGet"));
            assertEquals(10, at(container(), "readinessProbe", "periodSeconds"));
            assertEquals(3, at(container(), "readinessProbe", "failureThreshold"));
        }

        @Test
        void shouldAllowThreeMinutesForStartUp() {
            assertEquals(Map.of("path", "/q/health/started", "port", 8080, "scheme", "HTTP"), at(container(), "startupProbe", "httpGet"));
            assertEquals(5, at(container(), "startupProbe", "periodSeconds"));
            assertEquals(36, at(container(), "startupProbe", "failureThreshold"));
        }
    }

    /**
     * The rules come from two ConfigMaps, each a whole-directory volume: a {@code subPath} mount is
     * a copy the kubelet never updates, so a clinician's edit would never arrive. The scenario
     * tables are the second ConfigMap (a ConfigMap holds no folders), mounted inside the first.
     */
    @Nested
    class Rules {

        @Test
        void shouldMountBothConfigMapsAsWholeDirectoriesReadOnly() {
            List<Map<String, Object>> mounts = list(container().get("volumeMounts"));
            assertEquals(Set.of(
                    Map.of("name", "rules", "mountPath", RULES_DIRECTORY, "readOnly", true),
                    Map.of("name", "rules-scenarios", "mountPath", RULES_DIRECTORY + "/scenarios", "readOnly", true)),
                    Set.copyOf(mounts));
            mounts.forEach(m -> assertFalse(m.containsKey("subPath"), () -> "subPath never updates: " + m));
            mounts.forEach(m -> assertFalse(m.containsKey("subPathExpr"), () -> "subPathExpr never updates: " + m));
        }

        @Test
        void shouldReferToTheConfigMapsByNameWithEveryKeyReadableByTheServicesUser() {
            Map<String, Object> volumes = new LinkedHashMap<>();
            for (Map<String, Object> v : list(podSpec().get("volumes"))) {
                volumes.put((String) v.get("name"), v.get("configMap"));
            }
            // 292 = 0444: the files belong to root, the service runs as uid 185. No items: every key, so a
            // clinician's new rule file arrives without a change here.
            assertEquals(Map.of(
                    "rules", Map.of("name", "triage-rules", "defaultMode", 0444, "optional", false),
                    "rules-scenarios", Map.of("name", "triage-rules-scenarios", "defaultMode", 0444, "optional", false)),
                    volumes);
        }

        @Test
        void shouldPointTheServiceAtTheMountedDirectory() {
            assertEquals(Map.of("name", "TRIAGE_RULES_DIRECTORY", "value", RULES_DIRECTORY), env().get("TRIAGE_RULES_DIRECTORY"));
        }
    }

    @Test
    void shouldTakeTheStoreAndTokenSettingsFromTheSecret() {
        Map<String, Object> fromSecret = new TreeMap<>();
        env().forEach((name, e) -> {
            Object ref = map(e).get("valueFrom") == null ? null : map(map(e).get("valueFrom")).get("secretKeyRef");
            if (ref != null) {
                fromSecret.put(name, ref);
            }
        });
        Map<String, Object> expected = new TreeMap<>();
        for (String variable : List.of("TRIAGE_STORE_JDBC_URL", "TRIAGE_STORE_USERNAME", "TRIAGE_STORE_PASSWORD",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "MP_JWT_VERIFY_AUDIENCES")) {
            expected.put(variable, Map.of("name", "triage-secrets", "key", variable));
        }
        assertEquals(expected, fromSecret);
        env().forEach((name, e) -> assertFalse(name.contains("PASSWORD") && map(e).containsKey("value"),
                () -> name + " must never be a literal in the manifest"));
    }

    @Test
    void shouldRequestAndLimitMemoryAsMeasured() {
        // docs/scaling.md, "Resources": measured with src/bench/pod-memory.sh.
        assertEquals(Map.of(
                "requests", Map.of("memory", "512Mi", "cpu", "500m"),
                "limits", Map.of("memory", "512Mi", "cpu", "2")),
                container().get("resources"));
    }

    @Test
    void shouldKeepAllButOnePodThroughVoluntaryDisruptions() {
        Map<String, Object> budget = resources.get("PodDisruptionBudget");
        assertEquals(Map.of("maxUnavailable", 1, "selector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", NAME))),
                budget.get("spec"));
        Map<String, Object> podLabels = map(at(resources.get("Deployment"), "spec", "template", "metadata", "labels"));
        map(at(budget, "spec", "selector", "matchLabels")).forEach((label, value) ->
                assertEquals(value, podLabels.get(label), () -> "the budget selects the Deployment's pods by " + label));
    }

    @Test
    void shouldScaleTheDeploymentOnCpu() {
        Map<String, Object> autoscaler = resources.get("HorizontalPodAutoscaler");
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", NAME), at(autoscaler, "spec", "scaleTargetRef"));
        assertEquals(2, at(autoscaler, "spec", "minReplicas"));
        assertEquals(6, at(autoscaler, "spec", "maxReplicas"));
        assertEquals(List.of(Map.of("type", "Resource", "resource",
                Map.of("name", "cpu", "target", Map.of("type", "Utilization", "averageUtilization", 70)))),
                at(autoscaler, "spec", "metrics"));
        assertEquals(60, at(autoscaler, "spec", "behavior", "scaleUp", "stabilizationWindowSeconds"));
        assertNotNull(at(container(), "resources", "requests", "cpu"), "CPU utilisation is measured against the request");
    }

    /**
     * kubectl's client-side dry run ({@code apply --dry-run=client}) still asks an API server for
     * its resource types (and apply reads the live object), so without a cluster it cannot run:
     * this machine has none. What kubectl does without one: read every document as an object
     * with an API version, a kind and a name ({@code --local}). With {@code -Dkubectl.context=NAME}
     * the client-side dry run also runs against that context.
     */
    @Nested
    class Kubectl {

        @Test
        void shouldReadEveryResourceWithoutACluster(@TempDir Path home) throws Exception {
            Result r = kubectl(home, "label", "--local", "--dry-run=client", "-o", "name", "-f", MANIFEST.toString(), "checked=yes");
            assertEquals(0, r.exitCode(), r.output());
            assertEquals(List.of("poddisruptionbudget.policy/" + NAME, "service/" + NAME, "deployment.apps/" + NAME,
                    "horizontalpodautoscaler.autoscaling/" + NAME), r.output().lines().sorted(
                            (a, b) -> order(a) - order(b)).toList());
        }

        @Test
        void shouldPassTheClientSideDryRunWhereAClusterIsNamed(@TempDir Path home) throws Exception {
            String context = System.getProperty("kubectl.context", "");
            assumeTrue(!context.isBlank(), "no cluster here: run with -Dkubectl.context=NAME to dry-run against one");
            Result r = kubectl(null, "--context", context, "apply", "--dry-run=client", "--validate=false", "-f", MANIFEST.toString());
            assertEquals(0, r.exitCode(), r.output());
        }

        private int order(String line) {
            return List.of("poddisruptionbudget", "service", "deployment", "horizontalpodautoscaler").indexOf(line.split("[./]")[0]);
        }

        /** Runs kubectl with its input closed; with {@code home} its configuration is an empty one there, so no cluster is asked. */
        private Result kubectl(Path home, String... args) throws Exception {
            Path kubectl = Path.of("/usr/bin/kubectl");
            assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed");
            List<String> command = new ArrayList<>(List.of(kubectl.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (home != null) {
                Path config = Files.writeString(home.resolve("config"), "apiVersion: v1\nkind: Config\n");
                pb.environment().put("KUBECONFIG", config.toString());
                pb.environment().put("HOME", home.toString());
            }
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl did not finish");
            return new Result(p.exitValue(), output);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Map<String, Object> podSpec() {
        return map(at(resources.get("Deployment"), "spec", "template", "spec"));
    }

    private static Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec().get("containers"));
        assertEquals(1, containers.size());
        assertEquals(NAME, containers.get(0).get("name"));
        return containers.get(0);
    }

    /** The container's environment by variable name. */
    private static Map<String, Object> env() {
        Map<String, Object> byName = new TreeMap<>();
        for (Map<String, Object> e : list(container().get("env"))) {
            assertEquals(null, byName.put((String) e.get("name"), e), () -> "set twice: " + e.get("name"));
        }
        return byName;
    }

    private static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            assertTrue(node instanceof Map, () -> "no " + String.join(".", path) + " in " + root.get("kind"));
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, () -> "not a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        assertTrue(o instanceof List, () -> "not a list: " + o);
        return (List<Map<String, Object>>) o;
    }
}
