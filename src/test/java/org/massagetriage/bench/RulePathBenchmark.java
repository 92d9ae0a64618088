package org.massagetriage.bench;

import org.massagetriage.rules.DefaultRules;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.RuleSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decisions per second for a fixed mix of 1,000 presentations: through the production rule path
 * ({@link RuleSet#evaluate}, what the endpoint calls, minus HTTP and recording), and through the
 * plain-Java reference of the same criteria. Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RulePathBenchmark {

    static final int MIX = 1_000;

    RuleSet rules;
    List<Presentation> mix;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // As in the service (quarkus.log.level=INFO): Drools' trace logging must not be formatted.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        rules = DefaultRules.load();
        mix = Presentations.mix(42, MIX);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rules.close();
    }

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void rules(Blackhole bh) {
        for (Presentation p : mix) {
            bh.consume(rules.evaluate(p));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void plainJava(Blackhole bh) {
        for (Presentation p : mix) {
            bh.consume(ReferenceTriage.evaluate(p));
        }
    }
}
