package dev.narwhal.examples.jaxrs;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** CRUD over notes: {@code /api/notes} and {@code /api/notes/{id}}, JSON in and out. */
@Path("/notes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NotesResource {
  private final NoteStore store;

  public NotesResource(NoteStore store) {
    this.store = store;
  }

  @GET
  public List<Note> list() {
    return store.all();
  }

  @GET
  @Path("/{id}")
  public Note get(@PathParam("id") long id) {
    return store.find(id).orElseThrow(() -> new NotFoundException("no note " + id));
  }

  @POST
  public Response create(NoteInput input, @Context UriInfo uri) {
    Note note = store.add(required(input).validated());
    return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(note.id())).build()).entity(note).build();
  }

  @PUT
  @Path("/{id}")
  public Note replace(@PathParam("id") long id, NoteInput input) {
    return store.replace(id, required(input).validated()).orElseThrow(() -> new NotFoundException("no note " + id));
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") long id) {
    if (!store.remove(id)) {
      throw new NotFoundException("no note " + id);
    }
    return Response.noContent().build();
  }

  private static NoteInput required(NoteInput input) {
    if (input == null) {
      throw new BadRequestException("a JSON note is required");
    }
    return input;
  }
}
