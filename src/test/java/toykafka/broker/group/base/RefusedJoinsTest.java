package toykafka.broker.group.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A refused join is told once per group, member and reason, however often the member tries again. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusedJoinsTest {

    private final List<String> told = new ArrayList<>();
    private final RefusedJoins refused = new RefusedJoins(told::add);

    @Test
    void a_member_retrying_a_refused_join_is_told_of_once_and_another_member_or_reason_again() {
        for (int attempt = 0; attempt < 325; attempt++) {
            refused.refused("kitchen", "anna", "the coordinator holds " + (1000 + attempt) + " bytes of 1000",
                    "line " + attempt);
        }
        assertEquals(List.of("line 0"), told, "the numbers in a reason do not make it another one");
        refused.refused("kitchen", "ben", "the coordinator holds 1000 bytes of 1000", "ben's");
        refused.refused("kitchen", "anna", "client anna holds more than half", "anna's other reason");
        refused.refused("pantry", "anna", "the coordinator holds 1000 bytes of 1000", "anna in another group");
        assertEquals(List.of("line 0", "ben's", "anna's other reason", "anna in another group"), told);
    }

    @Test
    void the_oldest_are_forgotten_past_the_bound_so_memory_stays_bounded() {
        for (int member = 0; member <= RefusedJoins.REMEMBERED; member++) {
            refused.refused("kitchen", "m-" + member, "full", "m-" + member);
        }
        refused.refused("kitchen", "m-0", "full", "m-0 again");
        assertEquals("m-0 again", told.get(told.size() - 1), "the first one was forgotten");
        assertEquals(RefusedJoins.REMEMBERED + 2, told.size());
    }
}
