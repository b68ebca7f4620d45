package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseTest {
  @Test
  void an_interim_1xx_status_is_refused_as_an_answer() {
    for (int status : new int[] {100, 101, 103, 199}) {
      assertThatThrownBy(() -> Response.text(status, "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(a 1xx is not a final response), got " + status);
    }
  }

  @Test
  void statuses_outside_the_three_digit_range_are_refused() {
    assertThatThrownBy(() -> Response.status(600).build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Response.status(99).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void every_final_status_is_accepted() {
    assertThat(Response.text(200, "x").statusCode()).isEqualTo(200);
    assertThat(Response.status(599).build().statusCode()).isEqualTo(599);
  }
}
