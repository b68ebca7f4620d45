package dev.narwhal.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.config.SettingsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyModuleTest {
  static final Map<String, String> ENV = Map.of("PORT", "9000", "WORKERS", "3", "HOST", "10.0.0.1");

  static Map<String, Object> eval(String text) {
    Map<String, Object> values = new LinkedHashMap<>();
    PyModule.read(text, "g.py", ENV).assignments().forEach(a -> values.put(a.name(), a.value()));
    return values;
  }

  static Object value(String expression) {
    return eval("import os\nimport multiprocessing\nx = " + expression + "\n").get("x");
  }

  @Test
  void literals_evaluate_to_python_values() {
    assertThat(value("42")).isEqualTo(42L);
    assertThat(value("1_000")).isEqualTo(1000L);
    assertThat(value("0x10")).isEqualTo(16L);
    assertThat(value("2.5")).isEqualTo(2.5);
    assertThat(value("'single'")).isEqualTo("single");
    assertThat(value("\"dou\\\"ble\\n\"")).isEqualTo("dou\"ble\n");
    assertThat(value("r'\\d+'")).isEqualTo("\\d+");
    assertThat(value("'a' 'b'")).isEqualTo("ab");
    assertThat(value("\"\"\"tri\nple\"\"\"")).isEqualTo("tri\nple");
    assertThat(value("True")).isEqualTo(true);
    assertThat(value("False")).isEqualTo(false);
    assertThat(value("None")).isSameAs(PyValues.NONE);
    assertThat(value("[1, 'a',]")).isEqualTo(List.of(1L, "a"));
    assertThat(value("('a', 'b')")).isEqualTo(List.of("a", "b"));
    assertThat(value("{'k': 1, 'l': [2]}")).isEqualTo(Map.of("k", 1L, "l", List.of(2L)));
  }

  @Test
  void arithmetic_follows_python_precedence_and_types() {
    assertThat(value("2 + 3 * 4")).isEqualTo(14L);
    assertThat(value("(2 + 3) * 4")).isEqualTo(20L);
    assertThat(value("7 // 2")).isEqualTo(3L);
    assertThat(value("-7 // 2")).isEqualTo(-4L);
    assertThat(value("7 / 2")).isEqualTo(3.5);
    assertThat(value("7 % 3")).isEqualTo(1L);
    assertThat(value("2 ** 10")).isEqualTo(1024L);
    assertThat(value("-2 ** 2")).isEqualTo(-4L);
    assertThat(value("60 * 60 * 24")).isEqualTo(86400L);
    assertThat(value("'ab' + 'cd'")).isEqualTo("abcd");
    assertThat(value("[1] + [2]")).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void cpu_count_stays_symbolic_through_linear_arithmetic() {
    assertThat(value("multiprocessing.cpu_count() * 2 + 1")).isEqualTo(new PyValues.Cores(2, 1));
    assertThat(value("2 * multiprocessing.cpu_count() + 1")).isEqualTo(new PyValues.Cores(2, 1));
    assertThat(value("os.cpu_count() - 1")).isEqualTo(new PyValues.Cores(1, -1));
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(value("multiprocessing.cpu_count() // 2")).isEqualTo((long) cores / 2);
    assertThat(PyValues.number(value("max(2, multiprocessing.cpu_count())"))).isEqualTo((long) Math.max(2, cores));
  }

  @Test
  void the_environment_is_read_through_os_environ_and_getenv() {
    assertThat(value("os.environ.get('PORT', '8000')")).isEqualTo("9000");
    assertThat(value("os.environ.get('MISSING', '8000')")).isEqualTo("8000");
    assertThat(value("os.environ.get('MISSING')")).isSameAs(PyValues.NONE);
    assertThat(value("os.getenv('WORKERS')")).isEqualTo("3");
    assertThat(value("os.getenv('MISSING', default='x')")).isEqualTo("x");
    assertThat(value("os.environ['HOST']")).isEqualTo("10.0.0.1");
    assertThat(value("int(os.environ.get('WORKERS', 2)) * 2")).isEqualTo(6L);
    assertThat(eval("from os import environ\nx = environ.get('PORT')\n").get("x")).isEqualTo("9000");
    assertThat(eval("import os as o\nx = o.getenv('PORT')\n").get("x")).isEqualTo("9000");
  }

  @Test
  void strings_format_with_f_strings_percent_and_format() {
    assertThat(value("f\"{os.environ.get('HOST', '0.0.0.0')}:{os.getenv('PORT')}\"")).isEqualTo("10.0.0.1:9000");
    assertThat(value("f'{1 + 1!r} {{x}} {2.5:.2f} {7:03d}'")).isEqualTo("2 {x} 2.50 007");
    assertThat(value("'%s:%d' % ('0.0.0.0', 8000)")).isEqualTo("0.0.0.0:8000");
    assertThat(value("'%(h)s-%%' % {'h': 'x'}")).isEqualTo("x-%");
    assertThat(value("'%r' % 'a'")).isEqualTo("'a'");
    assertThat(value("'{}:{}'.format('h', 80)")).isEqualTo("h:80");
    assertThat(value("'{host}:{0}'.format(80, host='h')")).isEqualTo("h:80");
    assertThat(value("','.join(['a', 'b'])")).isEqualTo("a,b");
    assertThat(value("'a,b'.split(',')")).isEqualTo(List.of("a", "b"));
    assertThat(value("'INFO'.lower()")).isEqualTo("info");
    assertThat(value("str(True) + str(None)")).isEqualTo("TrueNone");
  }

  @Test
  void conditionals_and_boolean_operators_evaluate() {
    assertThat(value("'debug' if os.getenv('DEBUG') else 'info'")).isEqualTo("info");
    assertThat(value("os.getenv('MISSING') or 'fallback'")).isEqualTo("fallback");
    assertThat(value("os.getenv('PORT') == '9000' and not False")).isEqualTo(true);
    assertThat(value("'a' in ['a', 'b']")).isEqualTo(true);
  }

  @Test
  void only_the_branch_python_would_take_is_evaluated() {
    assertThat(value("os.environ['NOPE'] if 'NOPE' in os.environ else 'default'")).isEqualTo("default");
    assertThat(value("os.environ['PORT'] if 'PORT' in os.environ else undefined_name")).isEqualTo("9000");
    assertThat(value("os.getenv('PORT') or os.environ['NOPE']")).isEqualTo("9000");
    assertThat(value("os.getenv('NOPE') and os.environ['NOPE']")).isSameAs(PyValues.NONE);
    assertThat(value("[1 if False else 2, 3]")).isEqualTo(List.of(2L, 3L));
    assertThat(value("'NOPE' not in os.environ")).isEqualTo(true);
  }

  @Test
  void statements_bind_names_as_python_does() {
    Map<String, Object> values = eval("""
        \"\"\"A docstring.\"\"\"
        import os, multiprocessing
        base = 8000
        bind = ["0.0.0.0:%d" % base,
                "[::]:%d" % (base + 1)]
        a = b = 5
        c, d = 1, 2
        base += 10
        pass
        timeout: int = 30
        """);
    assertThat(values).containsEntry("bind", List.of("0.0.0.0:8000", "[::]:8001"))
        .containsEntry("a", 5L).containsEntry("b", 5L).containsEntry("c", 1L).containsEntry("d", 2L)
        .containsEntry("base", 8010L).containsEntry("timeout", 30L);
  }

  @Test
  void function_bodies_are_skipped_and_recorded() {
    PyModule module = PyModule.read("def on_starting(server):\n    if x:\n        boom()\n\n    return 1\nworkers = 2\n",
        "g.py", ENV);
    assertThat(module.functions()).containsExactly(new PyModule.Function("on_starting", 1));
    assertThat(module.assignments()).extracting(PyModule.Assignment::name).containsExactly("workers");
  }

  @Test
  void code_that_needs_python_is_an_error_with_file_and_line() {
    assertError("import os\n\nif os.getenv('X'):\n    workers = 2\n", "g.py:3: cannot evaluate 'if");
    assertError("x = 1\nprint('hi')\n", "g.py:2: cannot evaluate 'print ( 'hi' )' without running Python");
    assertError("import socket\nbind = socket.gethostname()\n", "g.py:2: cannot call socket.gethostname() without running Python");
    assertError("workers = undefined_name\n", "g.py:1: name 'undefined_name' is not defined");
    assertError("x = [i for i in range(3)]\n", "g.py:1: comprehensions cannot be evaluated");
    assertError("x = 'a' + 1\n", "g.py:1: unsupported operand types for +: str and int");
    assertError("x = 1 / 0\n", "g.py:1: division by zero");
    assertError("import os\nx = os.environ['NOPE']\n", "g.py:2: environment variable NOPE is not set");
    assertError("x = 'open\n", "g.py:1: string literal is not closed");
    assertError("from os import *\n", "g.py:1: 'from os import *' cannot be evaluated");
    assertError("x = 1\n  y = 2\n", "g.py:2: unexpected indentation");
    assertError("x = (1,\n 2,\n $)\n", "g.py:3: unexpected character '$'");
  }

  static void assertError(String text, String message) {
    assertThatThrownBy(() -> PyModule.read(text, "g.py", ENV))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith(message);
  }
}
