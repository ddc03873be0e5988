/** A small synthetic export.xml with every element kind the importer handles (own data, real shapes). */
const dev =
  '&lt;&lt;HKDevice: 0x1&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:10.0&gt;';
const phone =
  '&lt;&lt;HKDevice: 0x2&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.0&gt;';
const src = `sourceName="Test Watch" sourceVersion="10.0" device="${dev}"`;

export const SYNTHETIC_EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-03-02 10:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" ${src} unit="count/min" creationDate="2024-03-01 08:00:05 +0100" startDate="2024-03-01 08:00:00 +0100" endDate="2024-03-01 08:00:00 +0100" value="61">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
 </Record>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Test iPhone" device="${phone}" unit="count" startDate="2024-03-01 09:00:00 +0100" endDate="2024-03-01 09:10:00 +0100" value="800"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" ${src} unit="%" startDate="2024-03-01 03:00:00 +0100" endDate="2024-03-01 03:00:00 +0100" value="0.97"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Scale" unit="lb" startDate="2024-03-01 07:00:00 +0100" endDate="2024-03-01 07:00:00 +0100" value="154.3">
  <MetadataEntry key="HKTimeZone" value="America/New_York"/>
 </Record>
 <Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" ${src} unit="ms" startDate="2024-03-01 23:59:58 +0100" endDate="2024-03-02 00:01:00 +0100" value="48.5">
  <HeartRateVariabilityMetadataList>
   <InstantaneousBeatsPerMinute bpm="60" time="11:59:58.00\u202fPM"/>
   <InstantaneousBeatsPerMinute bpm="60" time="11:59:59.00 PM"/>
   <InstantaneousBeatsPerMinute bpm="61" time="00:00:00,00"/>
  </HeartRateVariabilityMetadataList>
 </Record>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-01 23:00:00 +0100" endDate="2024-03-02 07:00:00 +0100" value="HKCategoryValueSleepAnalysisInBed"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-01 23:10:00 +0100" endDate="2024-03-02 01:00:00 +0100" value="HKCategoryValueSleepAnalysisAsleepCore"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-02 01:00:00 +0100" endDate="2024-03-02 02:00:00 +0100" value="HKCategoryValueSleepAnalysisAsleepDeep"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-02 02:00:00 +0100" endDate="2024-03-02 03:00:00 +0100" value="HKCategoryValueSleepAnalysisAsleepREM"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-02 03:00:00 +0100" endDate="2024-03-02 03:10:00 +0100" value="HKCategoryValueSleepAnalysisAwake"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" ${src} startDate="2024-03-02 03:10:00 +0100" endDate="2024-03-02 06:50:00 +0100" value="HKCategoryValueSleepAnalysisAsleepUnspecified"/>
 <Record type="HKCategoryTypeIdentifierMindfulSession" ${src} startDate="2024-03-01 12:00:00 +0100" endDate="2024-03-01 12:10:00 +0100" value="HKCategoryValueNotApplicable"/>
 <Record type="HKQuantityTypeIdentifierDietaryWater" sourceName="Water App" unit="mL" startDate="2024-03-01 12:00:00 +0100" endDate="2024-03-01 12:00:00 +0100" value="250"/>
 <Record type="HKQuantityTypeIdentifierNoSuchType" sourceName="Future" unit="count" startDate="2024-03-01 12:00:00 +0100" endDate="2024-03-01 12:00:00 +0100" value="1"/>
 <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Cuff" unit="mmHg" startDate="2024-03-01 08:30:00 +0100" endDate="2024-03-01 08:30:00 +0100" value="121"/>
 <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Cuff" startDate="2024-03-01 08:30:00 +0100" endDate="2024-03-01 08:30:00 +0100">
  <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="Cuff" unit="mmHg" startDate="2024-03-01 08:30:00 +0100" endDate="2024-03-01 08:30:00 +0100" value="121"/>
  <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="Cuff" unit="mmHg" startDate="2024-03-01 08:30:00 +0100" endDate="2024-03-01 08:30:00 +0100" value="79"/>
 </Correlation>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min" ${src} startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <MetadataEntry key="HKElevationAscended" value="6575 cm"/>
  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>
  <WorkoutEvent type="HKWorkoutEventTypePause" date="2024-03-01 17:10:00 +0100"/>
  <WorkoutEvent type="HKWorkoutEventTypeResume" date="2024-03-01 17:11:00 +0100"/>
  <WorkoutActivity uuid="A1" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100" duration="30" durationUnit="min">
   <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2024-03-01 17:00:00 +0100" duration="15" durationUnit="min"/>
   <WorkoutEvent type="HKWorkoutEventTypeLap" date="2024-03-01 17:15:00 +0100" duration="0" durationUnit="min">
    <MetadataEntry key="HKLapLength" value="400 m"/>
   </WorkoutEvent>
   <WorkoutStatistics type="HKQuantityTypeIdentifierRunningPower" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100" average="250" minimum="100" maximum="400" unit="W"/>
  </WorkoutActivity>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100" sum="1255.2" unit="kJ"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100" sum="5.2" unit="km"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100" average="150" minimum="90" maximum="172" unit="count/min"/>
  <WorkoutRoute ${src} startDate="2024-03-01 17:00:00 +0100" endDate="2024-03-01 17:30:00 +0100">
   <FileReference path="/workout-routes/route_2024-03-01_5.00pm.gpx"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="10" durationUnit="min" totalDistance="1" totalDistanceUnit="km" totalEnergyBurned="50" totalEnergyBurnedUnit="kcal" ${src} startDate="2024-03-01 19:00:00 +0100" endDate="2024-03-01 19:10:00 +0100">
  <WorkoutRoute ${src} startDate="2024-03-01 19:00:00 +0100" endDate="2024-03-01 19:10:00 +0100">
   <Location date="2024-03-01 19:00:00 +0100" latitude="52.5" longitude="13.4" altitude="34" horizontalAccuracy="3" verticalAccuracy="2" course="90" speed="1.4"/>
   <Location date="2024-03-01 19:00:01 +0100" latitude="52.50001" longitude="13.40002" altitude="34" horizontalAccuracy="3" verticalAccuracy="2" course="90" speed="1.4"/>
  </WorkoutRoute>
 </Workout>
 <ActivitySummary dateComponents="2024-03-01" activeEnergyBurned="500" activeEnergyBurnedGoal="600" activeEnergyBurnedUnit="kcal" appleExerciseTime="40" appleExerciseTimeGoal="30" appleStandHours="10" appleStandHoursGoal="12"/>
 <Audiogram type="HKDataTypeIdentifierAudiogram" sourceName="Hearing" startDate="2024-03-01 10:00:00 +0100" endDate="2024-03-01 10:00:00 +0100"/>
</HealthData>
`;

export const SYNTHETIC_GPX = `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Route</name><trkseg>
  <trkpt lon="13.4000" lat="52.5000"><ele>34.1</ele><time>2024-03-01T16:00:00Z</time><extensions><speed>2.9</speed><course>10</course><hAcc>2.1</hAcc><vAcc>1.5</vAcc></extensions></trkpt>
  <trkpt lon="13.4001" lat="52.5001"><ele>34.3</ele><time>2024-03-01T16:00:01Z</time><extensions><speed>3.0</speed><course>11</course><hAcc>2.0</hAcc><vAcc>1.5</vAcc></extensions></trkpt>
  <trkpt lon="13.4002" lat="52.5002"><ele>34.5</ele><time>2024-03-01T16:00:02Z</time><extensions><speed>3.1</speed><course>12</course><hAcc>2.0</hAcc><vAcc>1.4</vAcc></extensions></trkpt>
 </trkseg></trk>
</gpx>
`;

/** The iOS 8 shape: no DTD, `source`, compact dates, min/max/average, numeric sleep values. */
export const IOS8_EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="table.xsl"?>
<HealthData locale="en_US">
 <ExportDate value="20150114084347-0800"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="" HKCharacteristicTypeIdentifierBiologicalSex="0"/>
 <Record type="HKQuantityTypeIdentifierStepCount" source="Phone" unit="count" startDate="20150104084300-0800" endDate="20150104094300-0800" value="734" recordCount="11"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" source="Sleep App" unit="count/s" startDate="20150531161900+0100" endDate="20150531161900+0100" min="1.1" max="1.1" average="1.1" recordCount="1"/>
 <Record type="HKCategoryTypeIdentifierSleepAnalysis" source="Sleep App" startDate="20150531230000+0100" endDate="20150601070000+0100" value="1"/>
</HealthData>
`;
