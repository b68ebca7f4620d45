package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The budget's arithmetic: a leak here would fill max-body-buffer slowly and shut the server. */
class BodyBudgetUnitTest {
  @Test
  void reservations_up_to_the_limit_succeed_and_the_one_past_it_reserves_nothing() {
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation a = budget.open();
    BodyBudget.Reservation b = budget.open();
    assertThat(a.reserve(60)).isTrue();
    assertThat(b.reserve(50)).isFalse();
    assertThat(b.reserve(40)).isTrue();
    assertThat(budget.used()).isEqualTo(100);
    a.close();
    assertThat(budget.used()).isEqualTo(40);
    assertThat(b.reserve(60)).isTrue();
  }

  @Test
  void closing_twice_gives_back_once_and_a_closed_reservation_takes_no_more() {
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation a = budget.open();
    a.reserve(30);
    a.reserve(20);
    a.close();
    a.close();
    assertThat(budget.used()).isZero();
    assertThat(a.reserve(10)).isFalse();
    a.count(10);
    assertThat(budget.used()).isZero();
  }

  @Test
  void bytes_already_held_are_counted_past_the_limit_but_never_refused() {
    BodyBudget budget = new BodyBudget(100);
    BodyBudget.Reservation full = budget.open();
    full.reserve(100);
    BodyBudget.Reservation strict = budget.open();
    strict.count(10);
    assertThat(budget.used()).isEqualTo(110);
    assertThat(budget.open().reserve(1)).isFalse();
    strict.close();
    full.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void zero_means_no_limit_and_only_a_body_over_a_set_limit_never_fits() {
    BodyBudget unlimited = new BodyBudget(0);
    assertThat(unlimited.open().reserve(Long.MAX_VALUE / 2)).isTrue();
    assertThat(unlimited.neverFits(Long.MAX_VALUE)).isFalse();
    assertThat(new BodyBudget(100).neverFits(101)).isTrue();
    assertThat(new BodyBudget(100).neverFits(100)).isFalse();
  }
}
