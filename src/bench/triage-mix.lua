-- wrk script: POST /api/v1/triage with a fixed mix of presentations (one per outcome and the
-- safety net), cycled in order so every run sends the same mix.
-- TRIAGE_DELAY_MS paces each connection (milliseconds between its requests): http-bench.sh uses it
-- to hold about half of the measured maximum rate for the latency figures.
local bodies = {
  '{"hoursSinceMassage":24,"painCharacter":"DULL_ACHE","painSeverity":3,"trend":"IMPROVING","symptoms":[],"bodyRegion":"LOWER_BACK","history":{"chronicLowBackPain":false,"recentSurgery":false,"preExistingCondition":false,"takesMedication":false}}',
  '{"hoursSinceMassage":80,"painCharacter":"STIFFNESS","painSeverity":4,"trend":"UNCHANGED","symptoms":[],"bodyRegion":"NECK"}',
  '{"painCharacter":"SHARP","symptoms":["SWELLING"],"bodyRegion":"SHOULDERS"}',
  '{"symptoms":["FAINTING","ANXIETY_OR_DISTRESS"],"history":{"takesMedication":true}}',
  '{"painSeverity":8,"trend":"UNCHANGED"}',
  '{"hoursSinceMassage":30,"painCharacter":"DULL_ACHE","painSeverity":5,"trend":"UNCHANGED","symptoms":["TINGLING"],"history":{"chronicLowBackPain":true}}',
  '{}',
  '{"hoursSinceMassage":12,"painCharacter":"STIFFNESS","painSeverity":2,"trend":"IMPROVING","symptoms":[]}'
}
local i = 0
local pace = tonumber(os.getenv("TRIAGE_DELAY_MS") or "0")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- A triage-client token (http-bench.sh passes the one local mode wrote); without it every call is 401.
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TRIAGE_TOKEN") or "")
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, wrk.path, nil, bodies[i])
end
if pace > 0 then
  delay = function()
    return pace
  end
end
