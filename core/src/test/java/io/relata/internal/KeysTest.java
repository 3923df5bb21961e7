package io.relata.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.Attribute;
import io.relata.DataType;
import io.relata.QueryDefinitionException;
import io.relata.sql.Bind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Keys as values: the canonical form every comparison uses, and the typed array binds. */
class KeysTest {

    static Attribute column(DataType type) {
        return new Attribute("k", "k", type, type.javaType(), false, false, false, false, null, null,
                Attribute.Role.PLAIN, -1);
    }

    @Nested
    class CanonicalForm {

        @Test
        void integralKeysOfEveryWidthAreTheSameKey() {
            assertThat(Keys.canonical((short) 7)).isEqualTo(Keys.canonical(7)).isEqualTo(Keys.canonical(7L))
                    .isEqualTo(Keys.canonical(BigInteger.valueOf(7))).isEqualTo(7L);
        }

        @Test
        void decimalsEqualByValueWhateverTheirScale() {
            assertThat(Keys.canonical(new BigDecimal("1.0"))).isEqualTo(Keys.canonical(new BigDecimal("1.00")))
                    .isEqualTo(Keys.canonical(1));
            assertThat(Keys.canonical(new BigDecimal("1.50"))).isEqualTo(Keys.canonical(new BigDecimal("1.5")))
                    .isNotEqualTo(Keys.canonical(new BigDecimal("1.05")));
            assertThat(Keys.canonical(new BigDecimal("0.000"))).isEqualTo(0L);
            assertThat(Keys.canonical(new BigDecimal("100"))).isEqualTo(100L);
        }

        @Test
        void decimalsBeyondLongStayDecimals() {
            BigDecimal huge = new BigDecimal("92233720368547758070");
            assertThat(Keys.canonical(huge)).isEqualTo(Keys.canonical(new BigDecimal("92233720368547758070.000")))
                    .isInstanceOf(BigDecimal.class);
        }

        @Test
        void bytesCompareByContent() {
            Object a = Keys.canonical(new byte[255]);
            Object b = Keys.canonical(new byte[255]);
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a).isNotEqualTo(Keys.canonical(new byte[254]));
            assertThat(Keys.canonical(new byte[] {(byte) 0xab, 1})).hasToString("\\xab01");
        }

        @Test
        void compositeKeysCompareElementByElement() {
            assertThat(Keys.canonical(List.of(1, new byte[] {1}))).isEqualTo(Keys.canonical(List.of(1L, new byte[] {1})));
        }

        @Test
        void otherKeysAreThemselves() {
            UUID id = UUID.randomUUID();
            assertThat(Keys.canonical(id)).isSameAs(id);
            assertThat(Keys.canonical("a")).isEqualTo("a");
            assertThat(Keys.canonical(null)).isNull();
        }
    }

    @Nested
    class ArrayBinds {

        @Test
        void keysAreConvertedToTheColumnsTypeAndDeDuplicatedByValue() {
            Bind b = Keys.array(column(DataType.integer()), List.of(1L, 2, (short) 1, Keys.canonical(3)), false);

            assertThat(b.type()).isEqualTo(Integer[].class);
            assertThat((Object[]) b.value()).containsExactly(1, 2, 3);
        }

        @Test
        void everyKeyTypeHasItsArrayType() {
            UUID u = UUID.randomUUID();
            assertThat(Keys.array(column(DataType.smallint()), List.of(1), false).type()).isEqualTo(Short[].class);
            assertThat(Keys.array(column(DataType.bigint()), List.of(1), false).type()).isEqualTo(Long[].class);
            assertThat(Keys.array(column(DataType.string()), List.of("a"), false).type()).isEqualTo(String[].class);
            assertThat(Keys.array(column(DataType.uuid()), List.of(u), false).type()).isEqualTo(UUID[].class);
            Bind decimals = Keys.array(column(DataType.numeric()), List.of(new BigDecimal("1.50"), new BigDecimal("1.5"), 2),
                    false);
            assertThat(decimals.type()).isEqualTo(BigDecimal[].class);
            assertThat((Object[]) decimals.value()).containsExactly(new BigDecimal("1.50"), new BigDecimal("2"));
        }

        @Test
        void byteaKeysAreBoundAsAnEscapedByteaArrayLiteral() {
            Attribute bytea = column(DataType.bytea());
            Bind b = Keys.array(bytea, List.of(new byte[] {0, (byte) 0xff}, new byte[] {0, (byte) 0xff}, new byte[0],
                    Keys.canonical(new byte[] {7})), false);

            assertThat(b.type()).isEqualTo(String.class);
            assertThat(b.value()).isEqualTo("{\"\\\\x00ff\",\"\\\\x\",\"\\\\x07\"}");
            assertThat(Keys.arrayCast(bytea)).isEqualTo("::bytea[]");
            assertThat(Keys.arrayCast(column(DataType.bigint()))).isEmpty();
            assertThat(Keys.array(bytea, List.of(), false).value()).isEqualTo("{}");
        }

        @Test
        void aKeyTheColumnCannotHoldIsRejectedOrLeftOut() {
            Attribute smallint = column(DataType.smallint());
            assertThatThrownBy(() -> Keys.array(smallint, List.of(1, 70_000), false))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("out of range");
            assertThat((Object[]) Keys.array(smallint, List.of(1, 70_000), true).value()).containsExactly((short) 1);
        }

        @Test
        void aNullKeyIsRejected() {
            assertThatThrownBy(() -> Keys.array(column(DataType.bigint()), java.util.Arrays.asList(1L, null), false))
                    .isInstanceOf(QueryDefinitionException.class).hasMessageContaining("null");
        }
    }
}
