package dev.narwhal.examples.jaxrs;

/** A stored note, as the API returns it. */
public record Note(long id, String title, String body) {}
