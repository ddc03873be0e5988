package io.wearlink.sdk

/**
 * Typed reads of a parsed JSON object, for the models' `fromJson`. A missing or mistyped required field is a
 * [ResponseShapeException] naming the field, so an API change shows up as a clear error, not a null.
 */
internal class Fields(private val map: Map<*, *>, private val where: String) {
    companion object {
        fun of(value: Any?, where: String): Fields {
            if (value !is Map<*, *>) throw ResponseShapeException("$where: expected an object, got ${kind(value)}")
            return Fields(value, where)
        }

        fun kind(value: Any?): String = when (value) {
            null -> "null"
            is String -> "a string"
            is Number -> "a number"
            is Boolean -> "a boolean"
            is Map<*, *> -> "an object"
            is List<*> -> "an array"
            else -> value.javaClass.simpleName
        }

        fun list(value: Any?, where: String): List<Any?> {
            if (value !is List<*>) throw ResponseShapeException("$where: expected an array, got ${kind(value)}")
            return value
        }
    }

    private fun fail(name: String, expected: String): Nothing =
        throw ResponseShapeException("$where.$name: expected $expected, got ${kind(map[name])}")

    fun raw(name: String): Any? = map[name]

    fun has(name: String): Boolean = map.containsKey(name)

    fun string(name: String): String = map[name] as? String ?: fail(name, "a string")

    fun stringOrNull(name: String): String? {
        val v = map[name] ?: return null
        return v as? String ?: fail(name, "a string or null")
    }

    fun bool(name: String): Boolean = map[name] as? Boolean ?: fail(name, "a boolean")

    fun double(name: String): Double = (map[name] as? Number)?.toDouble() ?: fail(name, "a number")

    fun doubleOrNull(name: String): Double? {
        val v = map[name] ?: return null
        return (v as? Number)?.toDouble() ?: fail(name, "a number or null")
    }

    fun long(name: String): Long = (map[name] as? Number)?.toLong() ?: fail(name, "an integer")

    fun longOrNull(name: String): Long? {
        val v = map[name] ?: return null
        return (v as? Number)?.toLong() ?: fail(name, "an integer or null")
    }

    fun int(name: String): Int = long(name).toInt()

    fun intOrNull(name: String): Int? = longOrNull(name)?.toInt()

    fun obj(name: String): Fields = of(map[name], "$where.$name")

    fun objOrNull(name: String): Fields? = if (map[name] == null) null else obj(name)

    /** A free-form object (for example a workout's `statistics`), as parsed. */
    fun anyMap(name: String): Map<String, Any?> {
        val v = map[name] ?: return emptyMap()
        if (v !is Map<*, *>) fail(name, "an object")
        val out = LinkedHashMap<String, Any?>()
        for ((k, value) in v) out[k.toString()] = value
        return out
    }

    /** A list of free-form objects (for example a workout's `segments`), as parsed. */
    fun anyMaps(name: String): List<Map<String, Any?>> {
        if (map[name] == null) return emptyList()
        return list(name).mapIndexed { i, item ->
            if (item !is Map<*, *>) throw ResponseShapeException("$where.$name[$i]: expected an object, got ${kind(item)}")
            val out = LinkedHashMap<String, Any?>()
            for ((k, value) in item) out[k.toString()] = value
            out
        }
    }

    fun list(name: String): List<Any?> = list(map[name], "$where.$name")

    fun listOrNull(name: String): List<Any?>? = if (map[name] == null) null else list(name)

    fun strings(name: String): List<String> = list(name).mapIndexed { i, v ->
        v as? String ?: throw ResponseShapeException("$where.$name[$i]: expected a string, got ${kind(v)}")
    }

    fun <T> objects(name: String, read: (Fields) -> T): List<T> =
        list(name).mapIndexed { i, v -> read(of(v, "$where.$name[$i]")) }

    fun <T> objectsOrNull(name: String, read: (Fields) -> T): List<T>? = if (map[name] == null) null else objects(name, read)
}

/** A response did not have the shape this SDK version expects (an incompatible server, or a proxy's page). */
class ResponseShapeException(message: String) : RuntimeException(message)
