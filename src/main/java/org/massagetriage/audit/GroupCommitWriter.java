package org.massagetriage.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;

/**
 * Group commit: request threads hand their record to one writer thread and wait; the writer takes
 * everything that queued up while the previous transaction was committing and writes it in one
 * transaction. Under load many decisions share one commit, so recording does not cost a commit
 * per request; when idle a record is written at once.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    /** {@code key} null for a record without an idempotency key. */
    private record Pending(DecisionRecord record, IdempotencyKey key, CompletableFuture<Optional<EarlierAnswer>> done) {
    }

    private final DecisionStore store;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Duration timeout;
    private final Duration keyRetention;
    private final Thread thread;
    private volatile boolean lastWriteFailed;

    private final Timer commits;

    GroupCommitWriter(DecisionStore store, int queueCapacity, int maxBatch, Duration timeout, Duration keyRetention,
                      Timer commits) {
        this.store = store;
        this.keyRetention = keyRetention;
        this.commits = commits;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.thread = new Thread(this::run, "decision-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues the record; the stage completes once it is committed, or fails with
     * {@link StoreUnavailableException} (store error, full queue, or no commit within the timeout).
     * Nobody blocks while waiting: the request thread is free for other requests.
     */
    CompletableFuture<Void> write(DecisionRecord record) {
        return write(record, null).thenApply(recorded -> null);
    }

    /**
     * As {@link #write(DecisionRecord)}, with the client's idempotency key: completes with the
     * earlier answer that holds the key instead, if one does (then nothing was written).
     */
    CompletableFuture<Optional<EarlierAnswer>> write(DecisionRecord record, IdempotencyKey key) {
        Pending p = new Pending(record, key, new CompletableFuture<>());
        if (!queue.offer(p)) {
            return CompletableFuture.failedFuture(
                    new StoreUnavailableException("The decision store is not keeping up; the write queue is full", null));
        }
        return p.done().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof TimeoutException
                    ? "The decision store did not confirm the record within " + timeout
                    : "The decision could not be recorded";
            return CompletableFuture.failedFuture(new StoreUnavailableException(why, cause));
        });
    }

    /** Null while the writer works; otherwise why it does not (for readiness). */
    String problem() {
        if (!thread.isAlive()) {
            return "the decision writer thread has stopped";
        }
        return lastWriteFailed ? "the last decision write failed" : null;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        List<DecisionStore.Write> records = new ArrayList<>(maxBatch);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            // A record whose client already got 503 (timed out while queued) must not be written:
            // it would be a decision that nobody received, and the client's retry a duplicate.
            batch.removeIf(p -> p.done().isDone());
            if (batch.isEmpty()) {
                continue;
            }
            for (Pending p : batch) {
                records.add(new DecisionStore.Write(p.record(), p.key()));
            }
            try {
                long t = System.nanoTime();
                List<Optional<EarlierAnswer>> results = store.insertAll(records, Instant.now().minus(keyRetention));
                commits.record(System.nanoTime() - t, TimeUnit.NANOSECONDS);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(results.get(i));
                }
                if (lastWriteFailed) {
                    LOG.info("Decision store writes succeed again");
                }
                lastWriteFailed = false;
            } catch (SQLException | RuntimeException | Error e) {
                if (!lastWriteFailed) {
                    // Only the cause: a record holds request facts, which never go to the log.
                    LOG.errorf("Decision store write failed; answering 503 until it recovers: %s", e.getMessage());
                }
                lastWriteFailed = true;
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
            records.clear();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("shutting down"));
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
