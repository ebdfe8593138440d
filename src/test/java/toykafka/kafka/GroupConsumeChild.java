package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static toykafka.kafka.KafkaClients.only;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run of {@link ClientsProbe}'s {@code group-consume} in a child JVM, left running until the test stops it, so
 * that several consumers join one group at once and one can be killed. {@link GroupConsumers} starts it.
 */
final class GroupConsumeChild implements AutoCloseable {

    final String name;
    private final ChildProcess.Running process;
    private final Path stopFile;

    GroupConsumeChild(String name, ChildProcess.Running process, Path stopFile) {
        this.name = name;
        this.process = process;
        this.stopFile = stopFile;
    }

    /** The whole lines it printed so far, parsed: a line still being written waits for the next look. */
    List<ProbeLine> lines() {
        String output = process.output();
        return output.substring(0, output.lastIndexOf('\n') + 1).lines().map(ProbeLine::parse).toList();
    }

    boolean running() {
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Lets its consumers close (they see the stop file within a poll), and waits for a clean exit. */
    void stop() {
        try {
            Files.writeString(stopFile, "stop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GroupConsumers.await(name + " closes its consumers and exits", () -> !running(), this);
        List<ProbeLine> lines = lines();
        assertEquals(List.of(), only("error", lines), name + " stopped without an error:\n" + describe());
        Set<String> opened = members(lines, "closing");
        assertFalse(opened.isEmpty(), name + " printed no closing line:\n" + describe());
        assertEquals(opened, members(lines, "closed"), name + ": every consumer closed\n" + describe());
    }

    /** SIGKILL: no close, no LeaveGroup; the coordinator must notice the silence. */
    void kill() {
        process.kill();
    }

    String describe() {
        return name + ": " + process.describe();
    }

    @Override
    public void close() {
        process.close();
    }

    private static Set<String> members(List<ProbeLine> lines, String word) {
        return only(word, lines).stream().map(line -> line.get("member")).collect(Collectors.toSet());
    }
}
