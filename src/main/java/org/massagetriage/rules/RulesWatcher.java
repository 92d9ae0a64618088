package org.massagetriage.rules;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Notices edits in the rules directory and asks for a reload once the files have been quiet for the
 * debounce time. File events (inotify) make that immediate; a poll of names, sizes and modification
 * times catches what events miss, as on some bind-mounted volumes.
 */
final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RulesWatcher.class);

    private final Path directory;
    private final Duration debounce;
    private final Runnable reload;
    private final ScheduledExecutorService timer;
    private final WatchService watchService;
    private final Thread eventThread;
    private ScheduledFuture<?> pending;
    private String lastFingerprint;

    private RulesWatcher(Path directory, Duration debounce, Runnable reload) {
        this.directory = directory;
        this.debounce = debounce;
        this.reload = reload;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rules-watch-timer");
            t.setDaemon(true);
            return t;
        });
        this.lastFingerprint = fingerprint();
        this.watchService = openWatchService();
        this.eventThread = watchService == null ? null : new Thread(this::pumpEvents, "rules-watch-events");
    }

    static RulesWatcher start(Path directory, Duration debounce, Duration pollInterval, Runnable reload) {
        RulesWatcher w = new RulesWatcher(directory, debounce, reload);
        if (w.eventThread != null) {
            w.eventThread.setDaemon(true);
            w.eventThread.start();
        }
        long poll = Math.max(50, pollInterval.toMillis());
        w.timer.scheduleWithFixedDelay(w::poll, poll, poll, TimeUnit.MILLISECONDS);
        LOG.infof("Watching %s for rule changes (debounce %d ms, poll every %d ms%s)", directory.toAbsolutePath(),
                debounce.toMillis(), poll, w.watchService == null ? ", file events unavailable" : "");
        return w;
    }

    private WatchService openWatchService() {
        try {
            WatchService ws = directory.getFileSystem().newWatchService();
            registerTree(ws, directory);
            return ws;
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            LOG.warnf("File events unavailable for %s (%s); relying on polling", directory, e.getMessage());
            return null;
        }
    }

    private static void registerTree(WatchService ws, Path root) throws IOException {
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                d.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            }
        }
    }

    private void pumpEvents() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watchService.take();
                key.pollEvents();
                key.reset();
                try {
                    registerTree(watchService, directory); // a new scenarios/ folder must be watched too
                } catch (IOException | UncheckedIOException e) {
                    // A file that vanished while the tree was walked (an editor's swap file, a save's
                    // temporary file): the walk's stream reports it unchecked. Never the end of watching.
                    LOG.debugf("Cannot re-register %s: %s", directory, e.getMessage());
                }
                changed();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        String now = fingerprint();
        if (!Objects.equals(now, lastFingerprint)) {
            changed();
        }
    }

    /** Restarts the quiet period; the reload runs once no change has been seen for the debounce time. */
    private synchronized void changed() {
        lastFingerprint = fingerprint();
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(this::fire, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fire() {
        try {
            lastFingerprint = fingerprint();
            reload.run();
        } catch (RuntimeException e) {
            LOG.error("Rules reload after a file change failed", e);
        }
    }

    private String fingerprint() {
        return fingerprint(directory);
    }

    /**
     * Names, sizes, modification times and file keys (device and inode) of the rule-set files, the
     * same files the reload reads (links followed, hidden folders skipped): cheap enough to poll
     * every second. A ConfigMap update writes every file anew in a new hidden folder and swaps the
     * {@code ..data} link, so the file keys read through the links change even when an edit keeps a
     * file's size within the same millisecond; so do they for a save moved over the old file.
     */
    static String fingerprint(Path directory) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path p : RuleSetSource.ruleSetFiles(directory)) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                sb.append(p).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis())
                        .append('|').append(a.fileKey()).append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            // A file gone between listing and reading its times: the next poll sees it settled.
            return "unreadable:" + e.getMessage();
        }
        return sb.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (eventThread != null) {
            eventThread.interrupt();
        }
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debugf("Closing the watch service: %s", e.getMessage());
            }
        }
    }
}
