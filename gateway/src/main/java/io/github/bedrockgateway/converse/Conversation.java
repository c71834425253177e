package io.github.bedrockgateway.converse;

import static io.github.bedrockgateway.error.GatewayException.invalid;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * A Converse conversation being built from a client's messages or items: system blocks, and turns
 * merged by role. One per request, not thread-safe. Shared by every protocol that translates to
 * Converse, so they all obey Converse's rules the same way: alternating roles, no empty content, at
 * most four cache points, reasoning put in front of its turn only when thinking is on.
 */
public final class Conversation {

  /** Converse wants a text block next to documents; added when the user sent files alone. */
  public static final String DOCUMENT_NOTE = "See the attached document.";

  public static final String DOCUMENTS_NOTE = "See the attached documents.";

  /** System blocks, in order; the caller adds to them. */
  public final List<SystemContentBlock> system = new ArrayList<>();

  /** Counts the request's images and documents against Converse's limits. */
  public final Attachments.Counter attachments = new Attachments.Counter();

  /** The history holds tool calls or tool results (Converse then requires a toolConfig). */
  public boolean hasToolBlocks;

  private final List<Turn> turns = new ArrayList<>();
  private int cachePoints;

  /**
   * One Converse turn being built; reasoning is kept apart and put first only when thinking is on.
   */
  private static final class Turn {
    final ConversationRole role;
    final List<ContentBlock> blocks = new ArrayList<>();
    final List<ContentBlock> reasoning = new ArrayList<>();

    Turn(ConversationRole role) {
      this.role = role;
    }
  }

  /** Converse requires alternating roles, so consecutive turns of one role become one turn. */
  public void add(ConversationRole role, List<ContentBlock> blocks, List<ContentBlock> reasoning) {
    if (blocks.isEmpty()) {
      return; // Converse rejects an empty content array: a turn with nothing in it is dropped.
    }
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last == null || last.role != role) {
      last = new Turn(role);
      turns.add(last);
    }
    last.blocks.addAll(blocks);
    last.reasoning.addAll(reasoning);
  }

  public void add(ConversationRole role, List<ContentBlock> blocks) {
    add(role, blocks, List.of());
  }

  /** No turn has been added (system blocks aside). */
  public boolean isEmpty() {
    return turns.isEmpty();
  }

  /** Counts a client's cache marker; Bedrock takes at most four per request. */
  public void countCachePoint(String param) {
    if (++cachePoints > CacheMarkers.MAX_CACHE_POINTS) {
      throw invalid(
          param,
          "Too many cache markers: Bedrock accepts at most "
              + CacheMarkers.MAX_CACHE_POINTS
              + " cache points per request.");
    }
  }

  /**
   * Takes one of the four cache points for one the gateway places itself; false when none is left.
   */
  boolean takeAutomaticCachePoint() {
    if (cachePoints >= CacheMarkers.MAX_CACHE_POINTS) {
      return false;
    }
    cachePoints++;
    return true;
  }

  /** The last assistant turn calls a tool but carries no signed reasoning to put in front of it. */
  public boolean toolLoopWithoutSignedReasoning() {
    for (int i = turns.size() - 1; i >= 0; i--) {
      Turn t = turns.get(i);
      if (t.role == ConversationRole.ASSISTANT) {
        boolean callsTool = t.blocks.stream().anyMatch(b -> b.toolUse() != null);
        return callsTool && t.reasoning.isEmpty();
      }
    }
    return false;
  }

  public List<Message> messages(boolean withReasoning) {
    List<Message> out = new ArrayList<>(turns.size());
    for (Turn t : turns) {
      List<ContentBlock> content = new ArrayList<>(t.blocks.size() + t.reasoning.size() + 1);
      if (withReasoning) {
        content.addAll(t.reasoning);
      }
      content.addAll(t.blocks);
      if (t.role == ConversationRole.USER) {
        addDocumentNote(content);
      }
      out.add(Message.builder().role(t.role).content(content).build());
    }
    return out;
  }

  /** Converse refuses a message with documents and no text; a minimal note satisfies it. */
  private static void addDocumentNote(List<ContentBlock> content) {
    long documents = content.stream().filter(b -> b.document() != null).count();
    if (documents > 0 && content.stream().noneMatch(b -> b.text() != null)) {
      content.add(ContentBlock.fromText(documents == 1 ? DOCUMENT_NOTE : DOCUMENTS_NOTE));
    }
  }
}
