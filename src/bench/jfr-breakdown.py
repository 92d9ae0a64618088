#!/usr/bin/env python3
"""Splits JFR execution samples into the parts of a request.

Reads `jfr print --events jdk.ExecutionSample --stack-depth 200 rec.jfr` on stdin. Each sample goes to
the part of the nearest frame (from the running method down the stack) that belongs to a known part,
so a HashMap lookup inside Micrometer counts as metrics and Jackson inside the answer writer as
writing. Frames of the framework's dispatch (security filter chains, Vert.x handlers) sit under every
request and so decide only when nothing nearer does."""
import re, sys, collections

# (part, pattern): tried on each frame in this order; the first frame with a match decides.
PARTS = [
    ("logging (decision line)", r"^org\.jboss\.logmanager|^org\.jboss\.logging|^java\.util\.logging"),
    ("metrics (Micrometer, HTTP binder)", r"^io\.micrometer|^io\.quarkus\.micrometer"),
    ("auth: token check (cache, JWT)", r"BearerAuthMechanism|VerifiedTokenCache|^io\.smallrye\.jwt|^org\.jose4j"),
    ("auth: identity, roles", r"^io\.quarkus\.security|^io\.quarkus\.vertx\.http\.runtime\.security\.(HttpAuthenticator|HttpSecurityRecorder)|^io\.quarkus\.resteasy\.reactive\.server\.runtime\.security|SecurityIdentity|RolesAllowed|^io\.smallrye\.mutiny"),
    ("audit: record building, store hand-off", r"^org\.massagetriage\.audit|TriageService\.record|^org\.h2\.|^org\.postgresql|^io\.agroal"),
    ("rule engine (RuleSet.evaluate)", r"^org\.drools|^org\.kie|^org\.mvel|^triage\.|^org\.massagetriage\.rules|^org\.massagetriage\.facts\.Triage"),
    ("answer: building and JSON writing", r"TriageResponses|ReasonSerializer|^org\.massagetriage\.api\.TriageResponse|JsonGenerator|\.ser\.|ObjectWriter|MessageBodyWriter|ServerJackson"),
    ("request: strict parsing", r"TriageRequestReader|StrictJson|^org\.massagetriage\.facts|JsonParser|^com\.fasterxml\.jackson"),
    ("triage service (decision, ids, time)", r"^org\.massagetriage\.triage|^java\.util\.UUID|SecureRandom"),
    ("RESTEasy Reactive dispatch", r"^org\.jboss\.resteasy\.reactive|^io\.quarkus\.resteasy\.reactive"),
    ("HTTP I/O (Vert.x, Netty)", r"^io\.vertx|^io\.netty|^sun\.nio|^java\.nio"),
]
COMPILED = [(name, re.compile(p)) for name, p in PARTS]

samples, cur, thread = [], None, "?"
for line in sys.stdin:
    s = line.strip()
    if line.startswith("jdk.ExecutionSample"):
        if cur is not None:
            samples.append((thread, cur))
        cur, thread = [], "?"
    elif cur is None:
        continue
    elif s.startswith("sampledThread"):
        m = re.search(r'"([^"]*)"', s)
        thread = re.sub(r"\d+", "N", m.group(1)) if m else "?"
    elif s and not s.startswith(("startTime", "state", "stackTrace", "]", "}", "...")):
        cur.append(s)
if cur is not None:
    samples.append((thread, cur))

parts, threads = collections.Counter(), collections.Counter()
for thread, frames in samples:
    threads[thread] += 1
    for f in frames:
        hit = next((name for name, p in COMPILED if p.search(f)), None)
        if hit:
            parts[hit] += 1
            break
    else:
        parts["other (JDK only: " + (frames[0].split("(")[0] if frames else "?") + ")"] += 1

n = len(samples) or 1
print(f"{len(samples)} samples")
for k, v in parts.most_common(20):
    print(f"{100 * v / n:5.1f}%  {k}")
print("by thread:")
for k, v in threads.most_common(6):
    print(f"{100 * v / n:5.1f}%  {k}")
