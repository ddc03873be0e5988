package io.wearlink.sdk

/**
 * A small JSON reader and writer, so the SDK needs nothing beyond the JDK and the Kotlin standard library.
 *
 * Values map to: object -> `Map<String, Any?>` (insertion-ordered), array -> `List<Any?>`, string -> `String`,
 * number -> `Long` when it is an integer that fits, else `Double`, `true`/`false` -> `Boolean`, `null` -> `null`.
 */
object Json {
    /** Parses one JSON value (RFC 8259); anything after it but whitespace is an error. */
    @JvmStatic
    fun parse(text: String): Any? {
        val reader = Reader(text)
        reader.skipWhitespace()
        val value = reader.readValue(0)
        reader.skipWhitespace()
        if (!reader.atEnd()) throw reader.error("unexpected trailing characters")
        return value
    }

    /** Writes a value as compact JSON. Accepts maps with string keys, iterables, arrays, strings, numbers, booleans, null. */
    @JvmStatic
    fun stringify(value: Any?): String {
        val out = StringBuilder()
        write(value, out)
        return out.toString()
    }

    private fun write(value: Any?, out: StringBuilder) {
        when (value) {
            null -> out.append("null")
            is String -> writeString(value, out)
            is Boolean -> out.append(if (value) "true" else "false")
            is Double -> writeDouble(value, out)
            is Float -> writeDouble(value.toDouble(), out)
            is Number -> out.append(value.toString())
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    if (k !is String) throw IllegalArgumentException("JSON object keys must be strings, got $k")
                    if (!first) out.append(',')
                    first = false
                    writeString(k, out)
                    out.append(':')
                    write(v, out)
                }
                out.append('}')
            }
            is Iterable<*> -> {
                out.append('[')
                var first = true
                for (item in value) {
                    if (!first) out.append(',')
                    first = false
                    write(item, out)
                }
                out.append(']')
            }
            is Array<*> -> write(value.asList(), out)
            is Enum<*> -> writeString(value.toString(), out)
            else -> writeString(value.toString(), out)
        }
    }

    private fun writeDouble(value: Double, out: StringBuilder) {
        if (value.isNaN() || value.isInfinite()) throw IllegalArgumentException("JSON has no NaN or Infinity")
        // Integral doubles are written without ".0" when they are exact, as JavaScript would.
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append(value.toLong().toString())
        } else {
            out.append(value.toString())
        }
    }

    private const val HEX = "0123456789abcdef"

    private fun writeString(s: String, out: StringBuilder) {
        out.append('"')
        for (i in 0 until s.length) {
            val c = s[i]
            when (c) {
                '"' -> out.append("\\\"")
                '\\' -> out.append("\\\\")
                '\n' -> out.append("\\n")
                '\r' -> out.append("\\r")
                '\t' -> out.append("\\t")
                '\b' -> out.append("\\b")
                '\u000C' -> out.append("\\f")
                else -> {
                    val code = c - '\u0000'
                    // Control characters and the JavaScript line separators are escaped; the rest is written as is.
                    if (code < 0x20 || code == 0x2028 || code == 0x2029) {
                        out.append("\\u")
                        out.append(HEX[(code shr 12) and 0xF])
                        out.append(HEX[(code shr 8) and 0xF])
                        out.append(HEX[(code shr 4) and 0xF])
                        out.append(HEX[code and 0xF])
                    } else {
                        out.append(c)
                    }
                }
            }
        }
        out.append('"')
    }

    /** Nesting limit: deeper documents are refused instead of overflowing the stack. */
    private const val MAX_DEPTH = 512

    private class Reader(private val s: String) {
        private var pos = 0

        fun atEnd(): Boolean = pos >= s.length

        fun error(message: String): JsonParseException = JsonParseException("$message at offset $pos", pos)

        fun skipWhitespace() {
            while (pos < s.length) {
                val c = s[pos]
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') pos++ else return
            }
        }

        fun readValue(depth: Int): Any? {
            if (depth > MAX_DEPTH) throw error("nesting deeper than $MAX_DEPTH")
            if (atEnd()) throw error("unexpected end of input")
            val c = s[pos]
            return when {
                c == '{' -> readObject(depth)
                c == '[' -> readArray(depth)
                c == '"' -> readString()
                c == 't' -> literal("true", true)
                c == 'f' -> literal("false", false)
                c == 'n' -> literal("null", null)
                c == '-' || (c in '0'..'9') -> readNumber()
                else -> throw error("unexpected character '$c'")
            }
        }

        private fun literal(word: String, value: Any?): Any? {
            if (!s.startsWith(word, pos)) throw error("invalid literal")
            pos += word.length
            return value
        }

        private fun readObject(depth: Int): Map<String, Any?> {
            val result = LinkedHashMap<String, Any?>()
            pos++ // {
            skipWhitespace()
            if (pos < s.length && s[pos] == '}') {
                pos++
                return result
            }
            while (true) {
                skipWhitespace()
                if (atEnd() || s[pos] != '"') throw error("expected a string key")
                val key = readString()
                skipWhitespace()
                if (atEnd() || s[pos] != ':') throw error("expected ':'")
                pos++
                skipWhitespace()
                result[key] = readValue(depth + 1)
                skipWhitespace()
                if (atEnd()) throw error("unterminated object")
                when (s[pos]) {
                    ',' -> pos++
                    '}' -> {
                        pos++
                        return result
                    }
                    else -> throw error("expected ',' or '}'")
                }
            }
        }

        private fun readArray(depth: Int): List<Any?> {
            val result = ArrayList<Any?>()
            pos++ // [
            skipWhitespace()
            if (pos < s.length && s[pos] == ']') {
                pos++
                return result
            }
            while (true) {
                skipWhitespace()
                result.add(readValue(depth + 1))
                skipWhitespace()
                if (atEnd()) throw error("unterminated array")
                when (s[pos]) {
                    ',' -> pos++
                    ']' -> {
                        pos++
                        return result
                    }
                    else -> throw error("expected ',' or ']'")
                }
            }
        }

        private fun readString(): String {
            pos++ // opening quote
            val out = StringBuilder()
            while (true) {
                if (atEnd()) throw error("unterminated string")
                val c = s[pos]
                when {
                    c == '"' -> {
                        pos++
                        return out.toString()
                    }
                    c == '\\' -> {
                        if (pos + 1 >= s.length) throw error("unterminated escape")
                        val e = s[pos + 1]
                        pos += 2
                        when (e) {
                            '"' -> out.append('"')
                            '\\' -> out.append('\\')
                            '/' -> out.append('/')
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000C')
                            'n' -> out.append('\n')
                            'r' -> out.append('\r')
                            't' -> out.append('\t')
                            'u' -> {
                                if (pos + 4 > s.length) throw error("short \\u escape")
                                var code = 0
                                for (i in 0 until 4) {
                                    val digit = Character.digit(s[pos + i], 16)
                                    if (digit < 0) throw error("invalid \\u escape")
                                    code = code * 16 + digit
                                }
                                pos += 4
                                // Surrogate halves are appended as UTF-16 units, so pairs rebuild the code point.
                                out.append(code.toChar())
                            }
                            else -> throw error("invalid escape '\\$e'")
                        }
                    }
                    c < ' ' -> throw error("control character in string")
                    else -> {
                        out.append(c)
                        pos++
                    }
                }
            }
        }

        private fun readNumber(): Number {
            val start = pos
            if (s[pos] == '-') pos++
            if (atEnd()) throw error("invalid number")
            if (s[pos] == '0') {
                pos++
            } else if (s[pos] in '1'..'9') {
                while (pos < s.length && s[pos] in '0'..'9') pos++
            } else {
                throw error("invalid number")
            }
            var integral = true
            if (pos < s.length && s[pos] == '.') {
                integral = false
                pos++
                val digits = pos
                while (pos < s.length && s[pos] in '0'..'9') pos++
                if (pos == digits) throw error("digits expected after '.'")
            }
            if (pos < s.length && (s[pos] == 'e' || s[pos] == 'E')) {
                integral = false
                pos++
                if (pos < s.length && (s[pos] == '+' || s[pos] == '-')) pos++
                val digits = pos
                while (pos < s.length && s[pos] in '0'..'9') pos++
                if (pos == digits) throw error("digits expected in exponent")
            }
            val text = s.substring(start, pos)
            if (integral) {
                // Beyond Long's range: kept as a Double, as JavaScript would.
                val asLong = text.toLongOrNull()
                if (asLong != null) return asLong
            }
            return text.toDouble()
        }
    }
}

/** The response was not valid JSON. */
class JsonParseException(message: String, val offset: Int) : RuntimeException(message)
