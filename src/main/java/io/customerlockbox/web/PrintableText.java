package io.customerlockbox.web;

import io.customerlockbox.Refusal;

/**
 * The one rule for text people type that the product stores, audits, mails and shows (a
 * justification, a comment, a name): valid Unicode that reads as it is stored. Refused: control
 * characters other than tab, line feed and carriage return (NUL among them, which PostgreSQL
 * cannot store at all), lone surrogates (not Unicode), noncharacters, and the bidirectional
 * embedding, override and isolate controls (U+202A to U+202E, U+2066 to U+2069), which make a
 * line in the audit trail or a mail read differently from what it holds. Every other character
 * of any script is welcome.
 */
public final class PrintableText {

  private PrintableText() {}

  /** Why {@code value} is not printable text, or null when it is (null is). */
  public static String problem(String value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (Character.isSurrogate((char) c)) {
        return "holds a lone surrogate at position " + i + ", which is not Unicode";
      }
      if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
        return "holds the control character " + codePoint(c) + " at position " + i;
      }
      if ((c & 0xFFFE) == 0xFFFE || c >= 0xFDD0 && c <= 0xFDEF) {
        return "holds the noncharacter " + codePoint(c) + " at position " + i;
      }
      if (c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069) {
        return "holds the bidirectional control " + codePoint(c) + " at position " + i
            + ", which makes text read differently from what it holds";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** Refuses {@code value} with a 400 naming {@code field} unless it is printable text. */
  public static void require(String field, String value) {
    String problem = problem(value);
    if (problem != null) {
      throw Refusal.invalid(field, field + ": text that " + problem);
    }
  }

  private static String codePoint(int c) {
    return String.format("U+%04X", c);
  }
}
