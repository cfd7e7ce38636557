package io.customerlockbox.request;

/**
 * Who asks the domain for a step: the request the instance works for (its business key), the
 * instance itself (checked against the instance the request is bound to), the step's key
 * (instance + activity: a repeated step writes its audit event once) and the person whose engine
 * call runs the step (null for the job executor and timers).
 */
public record StepContext(String requestId, String processInstanceId, String key, String actor) {}
