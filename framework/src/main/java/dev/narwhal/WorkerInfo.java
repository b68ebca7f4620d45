package dev.narwhal;

/**
 * A worker as hooks see it.
 *
 * @param index its slot, 1-based; a replacement takes the slot of the worker it replaces
 * @param phase the generation it was started in; each reload starts a new phase
 * @param served requests it has answered so far
 */
public record WorkerInfo(int index, int phase, long served) {}
