package io.customerlockbox.request;

public enum AccessLevel { READ, WRITE, ADMIN }
