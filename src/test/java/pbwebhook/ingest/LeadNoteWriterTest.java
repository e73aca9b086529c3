package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeadNoteWriterTest {

  @Test
  void aNewNoteGoesFirstSeparatedFromOlderOnes() {
    assertThat(LeadNoteWriter.prepend("new", "old")).isEqualTo("new\n\n---\n\nold");
    assertThat(LeadNoteWriter.prepend("first", null)).isEqualTo("first");
    assertThat(LeadNoteWriter.prepend("first", " ")).isEqualTo("first");
  }

  @Test
  void notesStayUnderAirtablesLongTextLimitByDroppingWholeOldestNotes() {
    StringBuilder old = new StringBuilder();
    for (int i = 0; i < 50; i++) old.append(i == 0 ? "" : LeadNoteWriter.SEPARATOR).append("note ").append(i).append(" ").append("z".repeat(2_500));
    String notes = LeadNoteWriter.prepend("newest", old.toString());
    assertThat(notes.length()).isLessThanOrEqualTo(LeadNoteWriter.MAX_CHARS);
    assertThat(notes).startsWith("newest" + LeadNoteWriter.SEPARATOR + "note 0 ");
    assertThat(notes).doesNotContain("note 49 ").endsWith("z");
  }
}
