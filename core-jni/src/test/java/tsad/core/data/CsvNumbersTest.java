package tsad.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Values are read as written: decimal numbers only, and a value too small for a float is reported, not zeroed. */
class CsvNumbersTest {
  private static final CsvRowParser PARSER = CsvRowParser.fromHeader("slice_id,time,value", CsvOptions.defaults(),
      "in.csv");

  private static DataReport parse(String value) {
    DataReport r = new DataReport();
    PARSER.parse("s," + 1_700_000_000_000L + "," + value, 2, r);
    return r;
  }

  @Test
  void decimalNumbersAsPythonRAndSparkWriteThemAreRead() {
    for (String v : List.of("0", "-12", "+3", "3.5", "-0.25", ".5", "5.", "1e-3", "2E+10", "-1.5e2", "0.0", "1e-40")) {
      DataReport r = new DataReport();
      assertNotNull(PARSER.parse("s,1700000000000," + v, 2, r), v);
      assertEquals(0, r.rowsRejected(), v);
    }
    assertEquals(-150f, PARSER.parse("s,1700000000000,-1.5e2", 2, new DataReport()).values()[0]);
  }

  @Test
  void javaLiteralSuffixesHexAndOtherFormsAreNotNumbers() {
    for (String v : List.of("1.5d", "2f", "3D", "1.0F", "0x1p3", "0x10", "1e", "e5", ".", "-", "1.2.3", "1e5.5",
        "١٢")) {
      DataReport r = parse(v);
      assertEquals(1, r.rowsRejected(RejectReason.NON_NUMERIC), v);
    }
    assertNull(PARSER.parse("s,1700000000000,2f", 2, new DataReport()));
  }

  @Test
  void aValueBelowTheSmallestFloatIsAnUnderflowNotAZero() {
    for (String v : List.of("1e-400", "-3e-50", "0.000000000000000000000000000000000000000000000001")) {
      DataReport r = parse(v);
      assertEquals(1, r.rowsRejected(RejectReason.UNDERFLOW), v);
    }
    assertEquals(0, parse("0e-400").rowsRejected(), "a true zero is a zero");
    assertEquals(0, parse("1.4e-45").rowsRejected(), "the smallest float");
    assertTrue(parse("1e39").rowsRejected(RejectReason.NON_FINITE) == 1, "overflow stays non-finite");
  }
}
