package io.wearlink.sdk

// Response types, field for field as the API returns them (see /api/v1/openapi.json). Timestamps are kept as
// the ISO 8601 strings the API sends (parse with java.time.Instant.parse / OffsetDateTime.parse); local days
// (`date`) likewise as YYYY-MM-DD strings.

/** An entry of the provider catalogue (`GET /api/v1/providers`). */
data class Provider(
    val slug: String,
    val name: String,
    /** `oauth`, `sdk` or `builtin`. */
    val kind: String,
    /** This WearLink build can sync it. */
    val available: Boolean,
    /** Your users can connect it: SDK and built-in providers always; OAuth vendors once an app applies. */
    val isConfigured: Boolean,
    /** `developer`, `instance` or null. */
    val appSource: String?,
    val callbackUrl: String?,
    val webhookUrl: String?,
    val developerPortal: String?,
    val historicalDays: Int?,
    val capabilities: ProviderCapabilities?,
    val resources: List<ProviderResource>?,
    val budget: List<ProviderBudget>?
)

data class ProviderCapabilities(val pull: Boolean, val webhookPing: Boolean, val webhookPush: Boolean)

data class ProviderResource(val name: String, val families: List<String>, val historicalDays: Int)

data class ProviderBudget(val limit: Long, val windowSeconds: Long, val used: Long, val resetsAt: String?)

/** A provider connection of an end user. */
data class Connection(
    val id: String,
    val userId: String,
    val provider: String,
    /** `active`, `revoked`, `error` or `reauth_required`. */
    val status: String,
    val connectedAt: String,
    val lastSyncedAt: String?,
    val nextSyncAt: String?,
    /** Cron schedule (UTC), or null for the default. */
    val schedule: String?,
    val scheduleEnabled: Boolean
)

/** An end user of your application. */
data class User(
    val id: String,
    val firstName: String?,
    val lastName: String?,
    val email: String?,
    val externalId: String?,
    val timezone: String?,
    val createdAt: String,
    val updatedAt: String
)

/**
 * Paging of a list. Pass [nextCursor] back as `cursor` for the next page; [hasMore] says whether there is
 * one. [page] and [limit] are present on lists that also page by number (users).
 */
data class Pagination(
    val nextCursor: String?,
    val hasMore: Boolean,
    val totalCount: Long,
    val page: Int?,
    val limit: Int?
)

/** One page of a list. */
data class Page<T>(val data: List<T>, val pagination: Pagination)

/** Where data came from. */
data class DataSource(val provider: String, val device: String?)

data class HeartRateSummary(val avgBpm: Double?, val minBpm: Double?, val maxBpm: Double?, val restingBpm: Double?)

/** Daily activity of one local day of the user. */
data class ActivitySummary(
    /** The local day, YYYY-MM-DD. */
    val date: String,
    val steps: Double?,
    val distanceMeters: Double?,
    val floorsClimbed: Double?,
    val activeCaloriesKcal: Double?,
    val basalCaloriesKcal: Double?,
    val totalCaloriesKcal: Double?,
    val activeMinutes: Double?,
    val heartRate: HeartRateSummary,
    /** Per metric, the sources the day was built from after the source-priority rule. */
    val sources: Map<String, List<DataSource>>
)

/** A workout session. */
data class Workout(
    val id: String,
    val type: String,
    val startTime: String,
    val endTime: String,
    val durationSeconds: Double,
    val distanceMeters: Double?,
    val caloriesKcal: Double?,
    val avgHeartRateBpm: Double?,
    val maxHeartRateBpm: Double?,
    val avgPaceSecPerKm: Double?,
    val elevationGainMeters: Double?,
    val steps: Double?,
    val source: DataSource,
    val sourceActivityType: String?,
    val utcOffsetMinutes: Int?,
    /** Provider statistics, as sent (free-form JSON, see [Json]). */
    val statistics: Map<String, Any?>,
    /** Laps or segments, as sent (free-form JSON objects). */
    val segments: List<Map<String, Any?>>,
    /** How many GPS points are stored for the route. */
    val routePoints: Int
)

data class SleepStages(
    val awakeMinutes: Double,
    val lightMinutes: Double,
    val deepMinutes: Double,
    val remMinutes: Double,
    val unknownMinutes: Double
)

/** One run of a sleep stage. */
data class SleepStageRun(val stage: String, val start: String, val end: String)

/** A sleep session or nap. */
data class SleepSession(
    val id: String,
    val startTime: String,
    val endTime: String,
    val durationSeconds: Double,
    val sleepDurationSeconds: Double,
    val efficiencyPercent: Double?,
    val isNap: Boolean,
    val stages: SleepStages,
    val interruptions: Int,
    val avgHeartRateBpm: Double?,
    val avgHrvSdnnMs: Double?,
    val avgRespiratoryRate: Double?,
    val avgSpo2Percent: Double?,
    val source: DataSource,
    val utcOffsetMinutes: Int?,
    /** Non-overlapping stage runs, in order. */
    val timeline: List<SleepStageRun>
)

/**
 * A sample, or (at a resolution other than raw) a bucket: then [aggregation] is `sum` or `avg`, and `avg`
 * buckets carry [min], [max] and [count].
 */
data class TimeseriesPoint(
    val id: String,
    val timestamp: String,
    val seriesType: String,
    val value: Double,
    val unit: String,
    val aggregation: String?,
    val min: Double?,
    val max: Double?,
    val count: Long?,
    val durationSeconds: Double?,
    val source: DataSource
)

/** The answer to a sync trigger. [created] is false when a sync of this connection and mode was already running. */
data class SyncTriggered(
    /** `queued`, `running`, `completed`, `failed` or `cancelled`. */
    val status: String,
    val jobId: String,
    val connectionId: String,
    val estimatedItems: Long?,
    val startedAt: String?,
    val created: Boolean
)

data class SyncProgress(val total: Long, val processed: Long, val failing: Long, val percentage: Double)

/** Why a sync failed: `code` is one of PLATFORM_ERROR, AUTH_ERROR, RATE_LIMIT, CONNECTION_NOT_FOUND, INTERNAL_ERROR. */
data class SyncError(val code: String, val message: String, val retryAfterSeconds: Double?)

/** A sync job's progress. */
data class SyncJobStatus(
    val jobId: String,
    val connectionId: String?,
    /** `queued`, `running`, `completed`, `failed` or `cancelled`. */
    val status: String,
    val progress: SyncProgress,
    val startedAt: String?,
    val estimatedCompletion: String?,
    val currentStage: String,
    val message: String?,
    val error: SyncError?
) {
    /** The job has ended (completed, failed or cancelled). */
    val isFinished: Boolean
        get() = status == "completed" || status == "failed" || status == "cancelled"
}

/** A meal photo accepted for recognition: the log is `pending` until recognition finishes. */
data class MealImageAccepted(val jobId: String, val logId: String, val status: String)

/** The meal a photo belongs to. */
enum class MealType(val wire: String) {
    BREAKFAST("breakfast"),
    LUNCH("lunch"),
    DINNER("dinner"),
    SNACK("snack"),
    OTHER("other");

    override fun toString(): String = wire
}

/** Timeseries resolution: raw samples, or buckets of a minute to an hour. */
enum class Resolution(val wire: String) {
    RAW("raw"),
    ONE_MINUTE("1min"),
    FIVE_MINUTES("5min"),
    FIFTEEN_MINUTES("15min"),
    ONE_HOUR("1hour");

    override fun toString(): String = wire
}

/** Incremental pulls the latest window; historical pulls the full history the provider offers. */
enum class SyncMode(val wire: String) {
    INCREMENTAL("incremental"),
    HISTORICAL("historical");

    override fun toString(): String = wire
}

// Readers from parsed JSON.

internal object Read {
    fun provider(f: Fields): Provider = Provider(
        slug = f.string("slug"),
        name = f.string("name"),
        kind = f.string("kind"),
        available = f.bool("available"),
        isConfigured = f.bool("is_configured"),
        appSource = f.stringOrNull("app_source"),
        callbackUrl = f.stringOrNull("callback_url"),
        webhookUrl = f.stringOrNull("webhook_url"),
        developerPortal = f.stringOrNull("developer_portal"),
        historicalDays = f.intOrNull("historical_days"),
        capabilities = f.objOrNull("capabilities")?.let {
            ProviderCapabilities(it.bool("pull"), it.bool("webhook_ping"), it.bool("webhook_push"))
        },
        resources = f.objectsOrNull("resources") {
            ProviderResource(it.string("name"), it.strings("families"), it.int("historical_days"))
        },
        budget = f.objectsOrNull("budget") {
            ProviderBudget(it.long("limit"), it.long("window_seconds"), it.long("used"), it.stringOrNull("resets_at"))
        }
    )

    fun connection(f: Fields): Connection = Connection(
        id = f.string("id"),
        userId = f.string("user_id"),
        provider = f.string("provider"),
        status = f.string("status"),
        connectedAt = f.string("connected_at"),
        lastSyncedAt = f.stringOrNull("last_synced_at"),
        nextSyncAt = f.stringOrNull("next_sync_at"),
        schedule = f.stringOrNull("schedule"),
        scheduleEnabled = f.bool("schedule_enabled")
    )

    fun user(f: Fields): User = User(
        id = f.string("id"),
        firstName = f.stringOrNull("first_name"),
        lastName = f.stringOrNull("last_name"),
        email = f.stringOrNull("email"),
        externalId = f.stringOrNull("external_id"),
        timezone = f.stringOrNull("timezone"),
        createdAt = f.string("created_at"),
        updatedAt = f.string("updated_at")
    )

    fun pagination(f: Fields): Pagination = Pagination(
        nextCursor = f.stringOrNull("next_cursor"),
        hasMore = f.bool("has_more"),
        totalCount = f.long("total_count"),
        page = f.intOrNull("page"),
        limit = f.intOrNull("limit")
    )

    fun <T> page(f: Fields, read: (Fields) -> T): Page<T> = Page(f.objects("data", read), pagination(f.obj("pagination")))

    fun source(f: Fields): DataSource = DataSource(f.string("provider"), f.stringOrNull("device"))

    fun activity(f: Fields): ActivitySummary {
        val hr = f.obj("heart_rate")
        val sources = LinkedHashMap<String, List<DataSource>>()
        val raw = f.objOrNull("sources")
        if (raw != null) {
            for ((metric, _) in f.anyMap("sources")) sources[metric] = raw.objects(metric) { source(it) }
        }
        return ActivitySummary(
            date = f.string("date"),
            steps = f.doubleOrNull("steps"),
            distanceMeters = f.doubleOrNull("distance_meters"),
            floorsClimbed = f.doubleOrNull("floors_climbed"),
            activeCaloriesKcal = f.doubleOrNull("active_calories_kcal"),
            basalCaloriesKcal = f.doubleOrNull("basal_calories_kcal"),
            totalCaloriesKcal = f.doubleOrNull("total_calories_kcal"),
            activeMinutes = f.doubleOrNull("active_minutes"),
            heartRate = HeartRateSummary(
                hr.doubleOrNull("avg_bpm"),
                hr.doubleOrNull("min_bpm"),
                hr.doubleOrNull("max_bpm"),
                hr.doubleOrNull("resting_bpm")
            ),
            sources = sources
        )
    }

    fun workout(f: Fields): Workout = Workout(
        id = f.string("id"),
        type = f.string("type"),
        startTime = f.string("start_time"),
        endTime = f.string("end_time"),
        durationSeconds = f.double("duration_seconds"),
        distanceMeters = f.doubleOrNull("distance_meters"),
        caloriesKcal = f.doubleOrNull("calories_kcal"),
        avgHeartRateBpm = f.doubleOrNull("avg_heart_rate_bpm"),
        maxHeartRateBpm = f.doubleOrNull("max_heart_rate_bpm"),
        avgPaceSecPerKm = f.doubleOrNull("avg_pace_sec_per_km"),
        elevationGainMeters = f.doubleOrNull("elevation_gain_meters"),
        steps = f.doubleOrNull("steps"),
        source = source(f.obj("source")),
        sourceActivityType = f.stringOrNull("source_activity_type"),
        utcOffsetMinutes = f.intOrNull("utc_offset_minutes"),
        statistics = f.anyMap("statistics"),
        segments = f.anyMaps("segments"),
        routePoints = f.intOrNull("route_points") ?: 0
    )

    fun sleep(f: Fields): SleepSession {
        val st = f.obj("stages")
        return SleepSession(
            id = f.string("id"),
            startTime = f.string("start_time"),
            endTime = f.string("end_time"),
            durationSeconds = f.double("duration_seconds"),
            sleepDurationSeconds = f.double("sleep_duration_seconds"),
            efficiencyPercent = f.doubleOrNull("efficiency_percent"),
            isNap = f.bool("is_nap"),
            stages = SleepStages(
                st.double("awake_minutes"),
                st.double("light_minutes"),
                st.double("deep_minutes"),
                st.double("rem_minutes"),
                st.double("unknown_minutes")
            ),
            interruptions = f.int("interruptions"),
            avgHeartRateBpm = f.doubleOrNull("avg_heart_rate_bpm"),
            avgHrvSdnnMs = f.doubleOrNull("avg_hrv_sdnn_ms"),
            avgRespiratoryRate = f.doubleOrNull("avg_respiratory_rate"),
            avgSpo2Percent = f.doubleOrNull("avg_spo2_percent"),
            source = source(f.obj("source")),
            utcOffsetMinutes = f.intOrNull("utc_offset_minutes"),
            timeline = (f.objectsOrNull("timeline") { SleepStageRun(it.string("stage"), it.string("start"), it.string("end")) })
                ?: emptyList()
        )
    }

    fun point(f: Fields): TimeseriesPoint = TimeseriesPoint(
        id = f.string("id"),
        timestamp = f.string("timestamp"),
        seriesType = f.string("series_type"),
        value = f.double("value"),
        unit = f.string("unit"),
        aggregation = f.stringOrNull("aggregation"),
        min = f.doubleOrNull("min"),
        max = f.doubleOrNull("max"),
        count = f.longOrNull("count"),
        durationSeconds = f.doubleOrNull("duration_seconds"),
        source = source(f.obj("source"))
    )

    fun syncTriggered(f: Fields): SyncTriggered = SyncTriggered(
        status = f.string("status"),
        jobId = f.string("job_id"),
        connectionId = f.string("connection_id"),
        estimatedItems = f.longOrNull("estimated_items"),
        startedAt = f.stringOrNull("started_at"),
        created = f.bool("created")
    )

    fun syncStatus(f: Fields): SyncJobStatus {
        val p = f.obj("progress")
        return SyncJobStatus(
            jobId = f.string("job_id"),
            connectionId = f.stringOrNull("connection_id"),
            status = f.string("status"),
            progress = SyncProgress(p.long("total"), p.long("processed"), p.long("failing"), p.double("percentage")),
            startedAt = f.stringOrNull("started_at"),
            estimatedCompletion = f.stringOrNull("estimated_completion"),
            currentStage = f.string("current_stage"),
            message = f.stringOrNull("message"),
            error = f.objOrNull("error")?.let {
                SyncError(it.string("code"), it.string("message"), it.objOrNull("details")?.doubleOrNull("retry_after"))
            }
        )
    }

    fun mealImage(f: Fields): MealImageAccepted = MealImageAccepted(f.string("job_id"), f.string("log_id"), f.string("status"))
}
