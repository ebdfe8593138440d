package toykafka.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import toykafka.client.HttpGroups;
import toykafka.common.TopicPartition;

/**
 * {@code toykafka groups}: what Kafka's kafka-consumer-groups.sh does with {@code --list} and {@code --describe},
 * against the broker over HTTP. Groups of Kafka consumers and of REST consumer instances show alike, since both
 * are members of the broker's one coordinator; a group that only commits offsets shows too, with no members.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = {"Lists the broker's consumer groups: id, state and how many members.",
                "Example: ./toykafka groups describe kitchen"},
        subcommands = {GroupsCommand.Describe.class})
final class GroupsCommand extends ClientCommand {

    @Override
    void talkTo(String address) {
        List<HttpGroups.Listing> groups = new HttpGroups(address).listGroups();
        if (groups.isEmpty()) {
            Main.err().println("no consumer groups: a group exists while it has members or committed offsets");
        }
        List<List<String>> rows = new ArrayList<>();
        for (HttpGroups.Listing group : groups) {
            rows.add(List.of(group.groupId(), group.state(), group.members() + " member(s)"));
        }
        printTable(Main.out(), rows);
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = {"A group's state and assignor, its members with their partitions, and each partition's"
                    + " committed offset, end offset and lag."})
    static final class Describe extends ClientCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        void talkTo(String address) {
            HttpGroups.Description described = new HttpGroups(address).describe(group).orElseThrow(() ->
                    new IllegalArgumentException("GROUP_ID_NOT_FOUND: there is no consumer group '" + group + "' at "
                            + address + "; ./toykafka groups lists those there are"));
            PrintStream out = Main.out();
            out.println("group " + described.groupId() + ": " + described.state() + ", "
                    + (described.assignor().isEmpty() ? "no assignor" : "assignor " + described.assignor())
                    + ", generation " + described.generation());
            out.println();
            if (described.members().isEmpty()) {
                out.println("no members");
            } else {
                List<List<String>> members = new ArrayList<>();
                members.add(List.of("MEMBER-ID", "INSTANCE-ID", "CLIENT-ID", "PARTITIONS"));
                for (HttpGroups.Member member : described.members()) {
                    members.add(List.of(member.memberId(), member.instanceId() == null ? "-" : member.instanceId(),
                            member.clientId(), partitions(member.assignment())));
                }
                printTable(out, members);
            }
            out.println();
            if (described.positions().isEmpty()) {
                out.println("no committed offsets and no partitions assigned");
                return;
            }
            List<List<String>> positions = new ArrayList<>();
            positions.add(List.of("PARTITION", "COMMITTED", "END", "LAG", "CLIENT-ID"));
            for (HttpGroups.Position position : described.positions()) {
                positions.add(List.of(position.partition().toString(),
                        position.committed().isPresent() ? Long.toString(position.committed().getAsLong()) : "-",
                        Long.toString(position.end()),
                        position.lag().isPresent() ? Long.toString(position.lag().getAsLong()) : "-",
                        position.owner().map(HttpGroups.Member::clientId).orElse("-")));
            }
            printTable(out, positions);
        }

        private static String partitions(List<TopicPartition> assignment) {
            return assignment.isEmpty() ? "-" : String.join(",", assignment.stream().map(TopicPartition::toString).toList());
        }
    }

    /** Rows in columns two spaces apart, each as wide as its widest cell; the last column is not padded. */
    static void printTable(PrintStream out, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + widths[c] + "s  ", row.get(c)));
            }
            out.println(line);
        }
    }
}
