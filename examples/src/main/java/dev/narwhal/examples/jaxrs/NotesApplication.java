package dev.narwhal.examples.jaxrs;

import jakarta.ws.rs.ApplicationPath;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * A Jakarta REST application on Jersey 4, written as Jersey's users write it: a JSON CRUD
 * resource over notes, with invalid input answered 400. Narwhal runs it through Jersey's own
 * {@code ServletContainer} and the servlet bridge:
 *
 * <pre>
 * bin/narwhal jaxrs:dev.narwhal.examples.jaxrs.NotesApplication
 * curl -X POST localhost:8000/api/notes -H 'Content-Type: application/json' -d '{"title":"Buy milk"}'
 * </pre>
 *
 * Every worker builds its own application, but they share one {@link NoteStore}: the workers are
 * actors of one process, so an in-memory store is per node, like the servlet sessions.
 */
@ApplicationPath("/api")
public class NotesApplication extends ResourceConfig {
  public NotesApplication() {
    this(NoteStore.shared());
  }

  public NotesApplication(NoteStore store) {
    // WADL needs a JAXB implementation this app does not ship; without this Jersey warns at every boot
    property(ServerProperties.WADL_FEATURE_DISABLE, true);
    register(JacksonFeature.class);
    register(new NotesResource(store));
    register(ReportResource.class);
    register(InvalidNoteMapper.class);
  }
}
