package io.customerlockbox.web;

import java.util.List;

/** The product's doors, in one list: the start-up banner prints it and the index page at / shows it. */
public final class EntryPoints {

  /** One door: its name, its path under the public URL, who uses it and how they sign in. */
  public record EntryPoint(String name, String path, String forWhom) {}

  public static final List<EntryPoint> ALL = List.of(
      new EntryPoint("Lockbox page", "/lockbox", "customers: approve or deny, audit, the lockbox policy"),
      new EntryPoint("Tasklist", "/camunda/app/tasklist/", "engineers file requests; approvers and leads decide"),
      new EntryPoint("My requests", "/requests", "engineers: the requests they filed, and where each stands"),
      new EntryPoint("Cockpit", "/camunda/app/cockpit/", "operators: running requests, timers, incidents"),
      new EntryPoint("Admin", "/camunda/app/admin/", "administrators: users, groups, tenants"),
      new EntryPoint("Lockbox API", "/api/", "the OpenAPI description of every call (HTTP Basic)"),
      new EntryPoint("Engine REST API", "/engine-rest/", "Camunda's own API (HTTP Basic)"));

  private EntryPoints() {}
}
