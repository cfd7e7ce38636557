package io.customerlockbox.audit;

/**
 * Where a chain stood: its last event's position and hash. {@link #toString} is the form the
 * offline verifier takes ({@code --head <position>:<hash>}) and notifications carry.
 */
public record ChainPosition(String chain, long position, String hash) {

  @Override
  public String toString() {
    return position + ":" + hash;
  }
}
