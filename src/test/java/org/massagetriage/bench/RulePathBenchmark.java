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
 * ({@link RuleSet#evaluate}, what the endpoint calls, minus HTTP and recording), through the
 * plain-Java reference of the same criteria, and through the same criteria as DMN decision tables on
 * two peer engines (Camunda's DMN engine, the KIE DMN engine). ReferenceTriageTests holds all of them
 * equal to the rules. Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RulePathBenchmark {

    static final int MIX = 1_000;

    RuleSet rules;
    DmnTriage camunda;
    DmnTriage kie;
    List<Presentation> mix;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // As in the service (quarkus.log.level=INFO): Drools' trace logging must not be formatted.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        rules = DefaultRules.load();
        camunda = new CamundaDmnTriage();
        kie = new KieDmnTriage();
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

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void camundaDmn(Blackhole bh) {
        for (Presentation p : mix) {
            bh.consume(camunda.evaluate(p));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MIX)
    public void kieDmn(Blackhole bh) {
        for (Presentation p : mix) {
            bh.consume(kie.evaluate(p));
        }
    }
}
