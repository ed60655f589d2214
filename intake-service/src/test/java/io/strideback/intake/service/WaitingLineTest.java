package io.strideback.intake.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher's line is bounded in items (issue 15: a full line answers 503, it does not grow). */
class WaitingLineTest {

    private final WaitingLine<List<String>> line = new WaitingLine<>(4, List::size);

    @Test
    void requests_join_while_their_items_fit() {
        // given a line of 4 items / when 1 + 3 items join / then both wait, 4 items
        assertThat(line.offer(List.of("a"))).isTrue();
        assertThat(line.offer(List.of("b", "c", "d"))).isTrue();
        assertThat(line.items()).isEqualTo(4);
    }

    @Test
    void a_request_that_would_not_fit_is_refused_and_leaves_the_line_as_it_was() {
        // given 3 items waiting / when 2 more come / then refused, still 3 waiting, 1 more fits
        line.offer(List.of("a", "b", "c"));
        assertThat(line.offer(List.of("d", "e"))).isFalse();
        assertThat(line.items()).isEqualTo(3);
        assertThat(line.offer(List.of("d"))).isTrue();
    }

    @Test
    void a_request_larger_than_the_line_is_taken_when_the_line_is_empty() {
        // given an empty line of 4 / when a batch of 6 comes / then it waits (slow, never refused forever)
        assertThat(line.offer(List.of("1", "2", "3", "4", "5", "6"))).isTrue();
        // and while it waits, nothing else fits
        assertThat(line.offer(List.of("7"))).isFalse();
    }

    @Test
    void taking_a_request_frees_its_items_in_order() throws InterruptedException {
        // given two requests waiting, the line full / when the batcher takes one / then its items are free
        List<String> first = List.of("a", "b");
        line.offer(first);
        line.offer(List.of("c", "d"));
        assertThat(line.offer(List.of("e"))).isFalse();

        assertThat(line.poll(10, TimeUnit.MILLISECONDS)).isSameAs(first);
        assertThat(line.items()).isEqualTo(2);
        assertThat(line.offer(List.of("e", "f"))).isTrue();
        assertThat(line.poll()).containsExactly("c", "d");
        assertThat(line.poll()).containsExactly("e", "f");
        assertThat(line.poll()).isNull();
        assertThat(line.items()).isZero();
    }

    @Test
    void a_line_of_no_items_is_a_mistake() {
        assertThatThrownBy(() -> new WaitingLine<List<String>>(0, List::size))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
