package dev.narwhal.examples.jaxrs;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** Validation errors as {@code 400 {"field": ..., "error": ...}}. */
@Provider
public final class InvalidNoteMapper implements ExceptionMapper<InvalidNoteException> {
  @Override
  public Response toResponse(InvalidNoteException e) {
    return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("field", e.field(), "error", e.getMessage())).build();
  }
}
