"""The constructions real news uses that rules tuned on a few articles miss
(issue: extraction that holds on articles nobody tuned it for), one row per
kind, in sentences we wrote ourselves.

Each row compares exactly: a missing fact fails it, and so does an extra
one. Known misses are strict xfail rows: when one starts passing, the suite
says so and the mark comes off.
"""
from __future__ import annotations

import pytest

from extractor import extract

D = " date 2024-03-09 "
Q = D + "NASCAR Cup Series qualifying at Phoenix Raceway set the field on Saturday. Kyle Larson won the pole.\n\n"
P = D + "NASCAR Cup Series practice at Phoenix Raceway ran on Friday. Kyle Larson was fastest.\n\n"
R = D + "Kyle Larson won the NASCAR Cup Series race at Phoenix Raceway on Sunday.\n\n"
KL_POLE = ("start_position", "Kyle Larson", None, 1)
KL_WIN = ("finish_position", "Kyle Larson", None, 1)


def facts(text: str, types: set[str] | None = None) -> set[tuple]:
    rec = extract(text, doc_id="t", checks=False)
    return {(f.type, f.driver, f.other, f.value) for f in rec.facts
            if f.scope != "other" and (types is None or f.type in types)}


def xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


def rows(pos_type, *names, first=1):
    return {(pos_type, n, None, first + i) for i, n in enumerate(names)}


BLOCKS = [
    ("cells-no-name-column",
     Q + "Denny Hamlin qualified second and Chase Elliott will start third.\n\nPos\nCar\nTime\nSpeed\n1\n5\n26.901\n133.823\n"
         "2\n11\n26.950\n133.580\n3\n9\n26.990\n133.382\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"),
         ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.95),
         ("lap_time", "Chase Elliott", None, 26.99),
         ("speed_mph", "Kyle Larson", None, 133.823), ("speed_mph", "Denny Hamlin", None, 133.58),
         ("speed_mph", "Chase Elliott", None, 133.382)}),
    ("space-rows-with-nationality",
     Q + "Pos No Driver Nat Make Time Speed\n1 5 Kyle Larson USA Chevrolet 26.901 133.823\n"
         "2 11 Denny Hamlin USA Toyota 26.950 133.580\n3 99 Daniel Suarez MEX Chevrolet 26.990 133.382\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Daniel Suarez") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Daniel Suarez", None, "99"),
         ("manufacturer", "Kyle Larson", None, "Chevrolet"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Daniel Suarez", None, "Chevrolet"),
         ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.95),
         ("lap_time", "Daniel Suarez", None, 26.99),
         ("speed_mph", "Kyle Larson", None, 133.823), ("speed_mph", "Denny Hamlin", None, 133.58),
         ("speed_mph", "Daniel Suarez", None, 133.382)}),
    ("space-rows-headerless-sponsor-free",
     Q + "1 5 Kyle Larson Chevrolet 26.901 133.823\n2 11 Denny Hamlin Toyota 26.950 133.580\n"
         "3 9 Chase Elliott Chevrolet 26.990 133.382\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"),
         ("manufacturer", "Kyle Larson", None, "Chevrolet"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Chase Elliott", None, "Chevrolet"),
         ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.95),
         ("lap_time", "Chase Elliott", None, 26.99),
         ("speed_mph", "Kyle Larson", None, 133.823), ("speed_mph", "Denny Hamlin", None, 133.58),
         ("speed_mph", "Chase Elliott", None, 133.382)}),
    # The news-agency inline list: numbered entries in one paragraph, split by semicolons.
    ("inline-numbered-qualifiers",
     Q + "Top qualifiers: 1. Kyle Larson, 135.794 mph; 2. Ty Gibbs, 135.1; 3. Bubba Wallace, 134.9; 4. Erik Jones, 134.75.\n",
     rows("start_position", "Kyle Larson", "Ty Gibbs", "Bubba Wallace", "Erik Jones") | {
         ("speed_mph", "Kyle Larson", None, 135.794), ("speed_mph", "Ty Gibbs", None, 135.1),
         ("speed_mph", "Bubba Wallace", None, 134.9), ("speed_mph", "Erik Jones", None, 134.75)}),
    ("inline-numbered-results-with-starts",
     R + "Top finishers: 1. (4) Kyle Larson, Chevrolet; 2. (12) Ty Gibbs, Toyota; 3. (2) Josh Berry, Ford.\n",
     rows("finish_position", "Kyle Larson", "Ty Gibbs", "Josh Berry") | {
         ("start_position", "Kyle Larson", None, 4), ("start_position", "Ty Gibbs", None, 12),
         ("start_position", "Josh Berry", None, 2), ("manufacturer", "Kyle Larson", None, "Chevrolet"),
         ("manufacturer", "Ty Gibbs", None, "Toyota"), ("manufacturer", "Josh Berry", None, "Ford")}),
    ("inline-numbered-needs-known-drivers",
     R + "Best sellers: 1. Garden Hose, red; 2. Lawn Chair, blue; 3. Patio Table, green.\n", {KL_WIN}),
    ("names-each-with-a-speed", P + "Speeds: Ty Gibbs 134.2 mph, Erik Jones 134.05, Josh Berry 133.9.\n",
     {("speed_mph", "Ty Gibbs", None, 134.2), ("speed_mph", "Erik Jones", None, 134.05),
      ("speed_mph", "Josh Berry", None, 133.9)}),
    ("numbered-rows-bracketed-car",
     R + "1. Kyle Larson (No. 5 Chevrolet)\n2. Ty Gibbs (No. 54 Toyota)\n3. Josh Berry (No. 21 Ford)\n",
     rows("finish_position", "Kyle Larson", "Ty Gibbs", "Josh Berry") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Ty Gibbs", None, "54"),
         ("car_number", "Josh Berry", None, "21"), ("manufacturer", "Kyle Larson", None, "Chevrolet"),
         ("manufacturer", "Ty Gibbs", None, "Toyota"), ("manufacturer", "Josh Berry", None, "Ford")}),
    # a header set out by runs of spaces is read where its columns are, even
    # with the speed before the time and a signed gap column after
    ("multi-space-header-speed-first",
     P + "Rank  Driver  Speed  Time  Behind\n1  Ty Gibbs  133.823  26.901  --\n2  Erik Jones  133.580  26.950  -0.049\n"
         "3  Josh Berry  133.382  26.990  -0.089\n",
     {("speed_mph", "Ty Gibbs", None, 133.823), ("speed_mph", "Erik Jones", None, 133.58),
      ("speed_mph", "Josh Berry", None, 133.382), ("lap_time", "Ty Gibbs", None, 26.901),
      ("lap_time", "Erik Jones", None, 26.95), ("lap_time", "Josh Berry", None, 26.99),
      ("gap", "Ty Gibbs", "Erik Jones", 0.049), ("gap", "Ty Gibbs", "Josh Berry", 0.089)}),
    # header-less, speed first: at a one-mile oval lap x speed = 3600 fits both
    # ways round; the track's speed range decides
    ("headerless-speed-before-time",
     P + "1 Ty Gibbs 133.823 26.901\n2 Erik Jones 133.580 26.950 -0.049\n3 Josh Berry 133.382 26.990 -0.089\n",
     {("speed_mph", "Ty Gibbs", None, 133.823), ("speed_mph", "Erik Jones", None, 133.58),
      ("speed_mph", "Josh Berry", None, 133.382), ("lap_time", "Ty Gibbs", None, 26.901),
      ("lap_time", "Erik Jones", None, 26.95), ("lap_time", "Josh Berry", None, 26.99)}),
    # "Pos." over "1." ranks, then car, name and a team of several words
    ("dotted-ranks-under-a-dotted-header",
     Q + "Pos. Car Driver Team Time Speed\n1. 5 Kyle Larson Hendrick Motorsports 26.901 133.823\n"
         "2. 54 Ty Gibbs Joe Gibbs Racing 26.950 133.580\n3. 21 Josh Berry Wood Brothers Racing 26.990 133.382\n",
     rows("start_position", "Kyle Larson", "Ty Gibbs", "Josh Berry") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Ty Gibbs", None, "54"),
         ("car_number", "Josh Berry", None, "21"), ("team", "Kyle Larson", None, "Hendrick Motorsports"),
         ("team", "Ty Gibbs", None, "Joe Gibbs Racing"), ("team", "Josh Berry", None, "Wood Brothers Racing"),
         ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Ty Gibbs", None, 26.95),
         ("lap_time", "Josh Berry", None, 26.99), ("speed_mph", "Kyle Larson", None, 133.823),
         ("speed_mph", "Ty Gibbs", None, 133.58), ("speed_mph", "Josh Berry", None, 133.382)}),
    # the last entry of an inline list alone looks like a "(start) Name, Make, laps." entry: one is no list
    ("inline-list-tail-is-no-list-of-its-own",
     R + "Results: 1. (4) Kyle Larson, Chevrolet, 312 laps; 2. (2) Ty Gibbs, Toyota, 312; 3. (9) Josh Berry, Ford, 312.\n",
     rows("finish_position", "Kyle Larson", "Ty Gibbs", "Josh Berry") | {
         ("start_position", "Kyle Larson", None, 4), ("start_position", "Ty Gibbs", None, 2),
         ("start_position", "Josh Berry", None, 9), ("manufacturer", "Kyle Larson", None, "Chevrolet"),
         ("manufacturer", "Ty Gibbs", None, "Toyota"), ("manufacturer", "Josh Berry", None, "Ford")}),
    ("pipe-rows-no-header",
     R + "| 1 | 5 | Kyle Larson | Chevrolet | 312 |\n| 2 | 11 | Denny Hamlin | Toyota | 312 |\n"
         "| 3 | 9 | Chase Elliott | Chevrolet | 312 |\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"),
         ("manufacturer", "Kyle Larson", None, "Chevrolet"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Chase Elliott", None, "Chevrolet")}),
    ("grid-rows",
     Q + "The starting grid:\nRow 1: Kyle Larson, Denny Hamlin\nRow 2: Chase Elliott, William Byron\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott", "William Byron")),
    ("numbered-car-make-laps",
     R + "1. #5 Kyle Larson, Chevrolet, 312 laps, running\n2. #11 Denny Hamlin, Toyota, 312 laps, running\n"
         "3. #9 Chase Elliott, Chevrolet, 311 laps, running\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"),
         ("manufacturer", "Kyle Larson", None, "Chevrolet"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Chase Elliott", None, "Chevrolet")}),
    ("dash-rows",
     R + "Results\n1- Kyle Larson\n2 – Denny Hamlin\n3 – Chase Elliott\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott")),
    ("ordinal-rows-with-marks",
     R + "Unofficial results\n1st, Kyle Larson*\n2nd, Denny Hamlin\n3rd, Chase Elliott\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott")),
    ("upper-case-names",
     R + "Results:\n1. KYLE LARSON\n2. DENNY HAMLIN\n3. CHASE ELLIOTT\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott")),
    ("cut-off-last-row",
     R + "Results\n1 - Kyle Larson\n2 - Denny Hamlin\n3 - Chase Elliott\n4 - William By",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott")),
    ("tab-rows-minus-gaps",
     P + "Pos\tNo.\tDriver\tTime\tSpeed\tBehind\n1\t5\tKyle Larson\t26.901\t133.823\t--\n"
         "2\t11\tDenny Hamlin\t26.950\t133.580\t-0.049\n3\t9\tChase Elliott\t26.990\t133.382\t-0.089\n",
     {("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
      ("car_number", "Chase Elliott", None, "9"),
      ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.95),
      ("lap_time", "Chase Elliott", None, 26.99),
      ("speed_mph", "Kyle Larson", None, 133.823), ("speed_mph", "Denny Hamlin", None, 133.58),
      ("speed_mph", "Chase Elliott", None, 133.382),
      ("gap", "Kyle Larson", "Denny Hamlin", 0.049), ("gap", "Kyle Larson", "Chase Elliott", 0.089)}),
    ("results-with-start-and-led",
     R + "Fin St Car Driver Make Laps Led Status\n1 3 5 Kyle Larson Chevrolet 312 105 running\n"
         "2 1 11 Denny Hamlin Toyota 312 88 running\n3 7 9 Chase Elliott Chevrolet 312 0 running\n",
     rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("start_position", "Kyle Larson", None, 3), ("start_position", "Denny Hamlin", None, 1),
         ("start_position", "Chase Elliott", None, 7),
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"),
         ("manufacturer", "Kyle Larson", None, "Chevrolet"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Chase Elliott", None, "Chevrolet"),
         ("laps_led", "Kyle Larson", None, 105), ("laps_led", "Denny Hamlin", None, 88)}),
    ("grid-rows-with-cars",
     Q + "Starting lineup:\nRow 1: 5-Kyle Larson, 11-Denny Hamlin\nRow 2: 9-Chase Elliott, 24-William Byron\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott", "William Byron") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"), ("car_number", "William Byron", None, "24")}),
    ("lineup-bracketed-car",
     Q + "Starting lineup\n1. (5) Kyle Larson, Chevrolet\n2. (11) Denny Hamlin, Toyota\n3. (9) Chase Elliott, Chevrolet\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"), ("manufacturer", "Kyle Larson", None, "Chevrolet"),
         ("manufacturer", "Denny Hamlin", None, "Toyota"), ("manufacturer", "Chase Elliott", None, "Chevrolet")}),
    ("p-rows", Q + "Starting lineup\nP1 Kyle Larson #5\nP2 Denny Hamlin #11\nP3 Chase Elliott #9\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9")}),
    ("standings-by-deficits",
     R + "1. Kyle Larson: Leader (3 wins)\n2. Denny Hamlin: -12 (1 win)\n3. Chase Elliott: -30 (0 wins)\n",
     {KL_WIN}),
    ("standings-are-not-results",
     R + "Points standings\n1. Kyle Larson: Leader\n2. Denny Hamlin: -12\n3. Chase Elliott: -30\n",
     {KL_WIN}),
    ("two-speeds-prose-and-table",
     Q + "Larson's lap was 133.823 mph.\n\nPos Car Driver Time Speed\n1 5 Kyle Larson 26.901 133.823\n"
         "2 11 Denny Hamlin 26.950 133.580\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.95),
         ("speed_mph", "Kyle Larson", None, 133.823), ("speed_mph", "Denny Hamlin", None, 133.58)}),
    pytest.param("names-on-one-line",
                 R + "Top finishers: Kyle Larson Denny Hamlin Chase Elliott William Byron Ryan Blaney\n",
                 rows("finish_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott", "William Byron",
                      "Ryan Blaney"),
                 id="names-on-one-line"),
]

OWNERS = [
    ("relative-clause", Q + "Chase Briscoe, who beat Chase Elliott here last spring, rolls off ninth.",
     {KL_POLE, ("start_position", "Chase Briscoe", None, 9)}),
    ("apposition", Q + "Tyler Reddick, the 23XI Racing driver, will start fourth.",
     {KL_POLE, ("start_position", "Tyler Reddick", None, 4), ("team", "Tyler Reddick", None, "23XI Racing")}),
    ("inversion", Q + "William Byron qualified third. Starting beside Byron on row two is Christopher Bell.",
     {KL_POLE, ("start_position", "William Byron", None, 3), ("start_position", "Christopher Bell", None, 4)}),
    ("start-alongside", Q + "Larson will start alongside Ryan Blaney, who turned the second-best lap.",
     {KL_POLE, ("start_position", "Ryan Blaney", None, 2)}),
    ("with-clause-takes-the-pole", D + "NASCAR Cup Series qualifying at Phoenix Raceway set the field on Saturday. "
     "Hendrick Motorsports swept the front row, with William Byron earning the pole and Alex Bowman qualifying second.",
     {("start_position", "William Byron", None, 1), ("start_position", "Alex Bowman", None, 2)}),
    ("missing-the-pole-is-not-the-pole", D + "NASCAR Cup Series qualifying at Phoenix Raceway set the field on Saturday. "
     "Alex Bowman qualified second, missing the pole by 0.04 seconds.",
     {("start_position", "Alex Bowman", None, 2)}),
    ("team-as-subject-after-a-dateline", D + "NASCAR Cup Series qualifying at Phoenix Raceway set the field on Saturday.\n\n"
     "AVONDALE, Ariz. — Hendrick Motorsports swept the front row, with William Byron first and Alex Bowman second.",
     {("start_position", "William Byron", None, 1), ("start_position", "Alex Bowman", None, 2)}),
    ("make-as-subject-owns-no-driver", Q + "Toyota took the top three spots behind Larson, led by Denny Hamlin.", {KL_POLE}),
    ("pole-ahead-of-a-list", D + "NASCAR Cup Series qualifying at Phoenix Raceway set the field on Saturday. "
     "Kyle Larson won the pole ahead of Denny Hamlin, Ryan Blaney and Chase Elliott.",
     {KL_POLE, ("start_position", "Denny Hamlin", None, 2)}),
    ("alongside-the-known-spot", Q + "Denny Hamlin will start alongside Larson after a lap of 26.902 seconds.",
     {KL_POLE, ("start_position", "Denny Hamlin", None, 2), ("lap_time", "Denny Hamlin", None, 26.902)}),
    ("good-for-a-grid-spot", Q + "Ryan Blaney's lap of 26.911 seconds was good for third.",
     {KL_POLE, ("start_position", "Ryan Blaney", None, 3), ("lap_time", "Ryan Blaney", None, 26.911)}),
    ("good-for-a-result", R + "Ryan Blaney's late charge was good for third.",
     {KL_WIN, ("finish_position", "Ryan Blaney", None, 3)}),
    # "took/grabbed/claimed fifth": the session says which place; a place held
    # on the way ("with 20 laps to go", "on the restart") is no result.
    ("took-a-place-in-a-race", R + "Austin Cindric grabbed seventh, and Todd Gilliland took 14th after a spin.",
     {KL_WIN, ("finish_position", "Austin Cindric", None, 7), ("finish_position", "Todd Gilliland", None, 14)}),
    ("took-a-place-in-qualifying", Q + "Tyler Reddick claimed fourth on his final run.",
     {KL_POLE, ("start_position", "Tyler Reddick", None, 4)}),
    ("took-a-place-on-the-way", R + "Josh Berry took fourth with 30 laps left, and Noah Gragson grabbed ninth on the restart.",
     {KL_WIN}),
    ("took-the-lead-is-no-place", R + "Ty Gibbs took the lead on lap 88 and held it for 40 laps.",
     {KL_WIN}),
    # a stage has its own order: "second in Stage 2" is not the race's second
    ("place-in-a-stage", R + "Chris Buescher finished third in Stage 1 and Michael McDowell was sixth in the final stage.",
     {KL_WIN}),
    ("place-in-a-stage-then-the-race", R + "Chris Buescher, third in both stages, finished fifth.",
     {KL_WIN, ("finish_position", "Chris Buescher", None, 5)}),
    ("in-second-behind-the-winner", R + "Chase Elliott finished 0.6 seconds behind Larson in second.",
     {KL_WIN, ("finish_position", "Chase Elliott", None, 2), ("gap", "Kyle Larson", "Chase Elliott", 0.6),
      ("margin_of_victory", None, None, 0.6)}),
    ("in-third-behind-another", R + "Ryan Blaney came across the line behind Elliott in third.",
     {KL_WIN, ("finish_position", "Ryan Blaney", None, 3)}),
    # adjectives between the verb and the place
    ("adjective-before-the-place", R + "Ty Gibbs finished a distant second and Noah Gragson came home a career-best ninth.",
     {KL_WIN, ("finish_position", "Ty Gibbs", None, 2), ("finish_position", "Noah Gragson", None, 9)}),
    ("adjective-before-a-grid-spot", Q + "Carson Hocevar qualified a season-best sixth.",
     {KL_POLE, ("start_position", "Carson Hocevar", None, 6)}),
    ("credited-or-classified", R + "After the review Zane Smith was credited with 15th. John Hunter Nemechek was classified 23rd.",
     {KL_WIN, ("finish_position", "Zane Smith", None, 15), ("finish_position", "John Hunter Nemechek", None, 23)}),
    # a name after "and" that a verb follows opens a new clause: not the object of "with"/"for"
    ("credited-then-a-new-clause",
     R + "After the review Zane Smith was credited with 15th and John Hunter Nemechek was classified 23rd.",
     {KL_WIN, ("finish_position", "Zane Smith", None, 15), ("finish_position", "John Hunter Nemechek", None, 23)}),
    ("objects-joined-by-and-stay-objects", R + "Larson held off Ty Gibbs and Josh Berry to win, and Gibbs was second.",
     {KL_WIN, ("finish_position", "Ty Gibbs", None, 2)}),
    # a relative clause in the lede is background: this is a race report
    ("pole-in-a-relative-clause-of-a-race-lede",
     " date 2024-05-26 Corey Heim, who won the pole on Friday, finished third in the NASCAR Craftsman Truck Series "
     "race at Charlotte Motor Speedway on Friday night.",
     {("start_position", "Corey Heim", None, 1), ("finish_position", "Corey Heim", None, 3)}),
    # a run of names that "followed X across the line" takes the places after X's
    ("followed-the-winner-across-the-line",
     R + "Ross Chastain, Daniel Suarez and Shane van Gisbergen followed Larson across the line.",
     {KL_WIN, ("finish_position", "Ross Chastain", None, 2), ("finish_position", "Daniel Suarez", None, 3),
      ("finish_position", "Shane van Gisbergen", None, 4)}),
    ("followed-someone-with-no-known-place", R + "Daniel Suarez followed Ross Chastain home.", {KL_WIN}),
    ("gerund-fading-to", R + "Kyle Busch led 30 laps before fading to 15th.",
     {KL_WIN, ("finish_position", "Kyle Busch", None, 15)}),
    # "N seconds separated A and B": the gap, ahead first by a known place
    ("seconds-separated-the-front-row", Q + "Only 0.041 seconds separated Larson and Austin Cindric.",
     {KL_POLE, ("gap", "Kyle Larson", "Austin Cindric", 0.041)}),
    ("separated-with-no-known-order", Q + "Austin Cindric and Joey Logano were separated by just 0.005 seconds.",
     {KL_POLE}),
    ("held-on-for-a-place", R + "Bubba Wallace held on for fourth and Noah Gragson hung on for 11th.",
     {KL_WIN, ("finish_position", "Bubba Wallace", None, 4), ("finish_position", "Noah Gragson", None, 11)}),
    ("drove-the-car-to-a-place", R + "Ross Chastain drove the No. 1 Trackhouse Racing Chevrolet to seventh.",
     {KL_WIN, ("finish_position", "Ross Chastain", None, 7), ("car_number", "Ross Chastain", None, "1")}),
    ("drove-to-a-place-on-the-way", R + "Ross Chastain drove to second with 10 laps left before a flat tire.",
     {KL_WIN}),
    # Other events are no facts of this one: a time phrase opening the
    # sentence dates the clauses after it; "last fall", "earlier this season",
    # "of the last five races"; "in last year's race" (a possessive before an
    # event) dates, "last week's winner" (before a person) only describes.
    ("past-phrase-opens-the-sentence", R + "Last week at Atlanta, Tyler Reddick finished second.", {KL_WIN}),
    ("past-phrase-opens-a-pole-sentence", R + "A week ago, Tyler Reddick started from the pole at Las Vegas.", {KL_WIN}),
    ("past-season-in-a-relative-clause", R + "Tyler Reddick, who finished second here last fall, was fifth.",
     {KL_WIN, ("finish_position", "Tyler Reddick", None, 5)}),
    ("earlier-this-season", R + "Earlier this season Tyler Reddick finished second here.", {KL_WIN}),
    ("of-the-last-n-races", R + "Tyler Reddick has finished in the top five in four of the last five races.", {KL_WIN}),
    ("possessive-past-before-an-event", R + "Tyler Reddick led 143 laps in last year's race.", {KL_WIN}),
    ("possessive-past-before-a-person", R + "Last week's winner Tyler Reddick finished fifth.",
     {KL_WIN, ("finish_position", "Tyler Reddick", None, 5)}),
    ("a-descriptor-opening-the-sentence-dates-nothing",
     Q + "Defending race winner Tyler Reddick, Ty Gibbs and Josh Berry completed the top five.",
     {KL_POLE, ("start_position", "Tyler Reddick", None, 3), ("start_position", "Ty Gibbs", None, 4),
      ("start_position", "Josh Berry", None, 5)}),
    ("row-pair", Q + "Ty Gibbs and Josh Berry will make up the second row, and Erik Jones and Noah Gragson the third.",
     {KL_POLE, ("start_position", "Ty Gibbs", None, 3), ("start_position", "Josh Berry", None, 4)}),
    ("put-him-in-a-place", Q + "Ty Gibbs's lap of 133.1 mph put him fourth.",
     {KL_POLE, ("start_position", "Ty Gibbs", None, 4), ("speed_mph", "Ty Gibbs", None, 133.1)}),
    ("top-n-rounded-out-by", R + "The top five was rounded out by Ty Gibbs, Josh Berry and Erik Jones.",
     {KL_WIN, ("finish_position", "Ty Gibbs", None, 3), ("finish_position", "Josh Berry", None, 4),
      ("finish_position", "Erik Jones", None, 5)}),
    ("winning-margin-was-over", R + "Larson's winning margin was 1.2 seconds over Ty Gibbs.",
     {KL_WIN, ("margin_of_victory", None, None, 1.2), ("gap", "Kyle Larson", "Ty Gibbs", 1.2),
      ("finish_position", "Ty Gibbs", None, 2)}),
    ("winning-margin-alone", R + "The winning margin was 0.7 seconds.", {KL_WIN, ("margin_of_victory", None, None, 0.7)}),
    ("front-row-after-a-semicolon", Q + "Larson edged Michael McDowell by 0.071 seconds; McDowell will start alongside him on the front row.",
     {KL_POLE, ("start_position", "Michael McDowell", None, 2), ("gap", "Kyle Larson", "Michael McDowell", 0.071)}),
    # a quote opens the sentence; the reported place after it counts, the quoted one does not
    ("place-after-a-quote", R + "\"I finished second last week and wanted more,\" Ty Gibbs said after finishing third.",
     {KL_WIN, ("finish_position", "Ty Gibbs", None, 3)}),
    ("all-quote-sentence", R + "\"Ty Gibbs finished third and I finished fourth.\"", {KL_WIN}),
    ("rolled-off-and-worked-his-way", R + "Ty Gibbs, who rolled off 20th, worked his way to fourth.",
     {KL_WIN, ("start_position", "Ty Gibbs", None, 20), ("finish_position", "Ty Gibbs", None, 4)}),
    # "quickest" is said of qualifying too: in a qualifying story it is a grid rank, as "-fastest" is;
    # in a race story a speed rank is never the result
    ("quickest-in-a-qualifying-story", Q + "Ty Gibbs was third-quickest at 134.9 mph.",
     {KL_POLE, ("start_position", "Ty Gibbs", None, 3), ("speed_mph", "Ty Gibbs", None, 134.9)}),
    ("quickest-in-a-practice-story", P + "Ty Gibbs was second-quickest at 134.9 mph.",
     {("speed_mph", "Ty Gibbs", None, 134.9)}),
    ("speed-rank-in-a-race-story", R + "Ty Gibbs had the second-fastest car all day and finished fourth.",
     {KL_WIN, ("finish_position", "Ty Gibbs", None, 4)}),
    # the place first, its holder after "went to"
    ("place-went-to", R + "Fourth place went to Erik Jones, and the runner-up spot went to Chase Briscoe.",
     {KL_WIN, ("finish_position", "Erik Jones", None, 4), ("finish_position", "Chase Briscoe", None, 2)}),
    ("place-went-to-in-qualifying", Q + "Second went to Bubba Wallace at 133.1 mph.",
     {KL_POLE, ("start_position", "Bubba Wallace", None, 2), ("speed_mph", "Bubba Wallace", None, 133.1)}),
    ("car-as-subject", Q + "Denny Hamlin's Toyota was fourth-quick.",
     {KL_POLE, ("start_position", "Denny Hamlin", None, 4), ("manufacturer", "Denny Hamlin", None, "Toyota")}),
    ("named-in-passing", R + "Ryan Blaney, who finished behind Joey Logano in Las Vegas, came home sixth.",
     {KL_WIN, ("finish_position", "Ryan Blaney", None, 6)}),
    ("finish-phrase-over-start-cue", R + "Chase Elliott crossed the line fifth, and Alex Bowman crossed the finish line in eighth.",
     {KL_WIN, ("finish_position", "Chase Elliott", None, 5), ("finish_position", "Alex Bowman", None, 8)}),
    ("was-scored", R + "Ross Chastain was scored 15th, a lap down after a late spin.",
     {KL_WIN, ("finish_position", "Ross Chastain", None, 15)}),
    ("pair-were-scored", R + "Erik Jones and Noah Gragson were scored 21st and 22nd.",
     {KL_WIN, ("finish_position", "Erik Jones", None, 21), ("finish_position", "Noah Gragson", None, 22)}),
    ("pair-with-an-unknown-verb-gives-nothing", R + "Erik Jones and Noah Gragson took 21st and 22nd.", {KL_WIN}),
    ("one-name-two-places-gives-nothing", R + "Bubba Wallace was fourth and ninth in the two stages.", {KL_WIN}),
    ("held-off-a-charge-from", D + "Chandler Smith held off a late charge from Zane Smith to win Saturday's NASCAR "
     "Craftsman Truck Series race at Talladega Superspeedway.",
     {("finish_position", "Chandler Smith", None, 1), ("finish_position", "Zane Smith", None, 2)}),
    ("top-n-were-a-whole-list", R + "The top four were Kyle Larson, Tyler Reddick, Christopher Bell and Denny Hamlin.",
     {KL_WIN} | rows("finish_position", "Tyler Reddick", "Christopher Bell", "Denny Hamlin", first=2)),
    ("top-n-with-too-few-names-gives-nothing", R + "The top five were Kyle Larson, Tyler Reddick and Christopher Bell.", {KL_WIN}),
    ("number-in-quote", R + "Kyle Busch finished fifth. \"We ran 10th most of the day,\" Busch said.",
     {KL_WIN, ("finish_position", "Kyle Busch", None, 5)}),
    ("career-number", R + "It was the 24th win of his career, and Denny Hamlin finished second.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 2)}),
    ("followed-by-across-sentences",
     Q + "Bubba Wallace rolls off 13th. He is followed by Joey Logano, Ryan Blaney and Austin Cindric.",
     {KL_POLE} | rows("start_position", "Bubba Wallace", "Joey Logano", "Ryan Blaney", "Austin Cindric", first=13)),
    ("frame-with-parentheticals",
     Q + "Denny Hamlin (No. 11 Toyota), Chase Elliott (No. 9 Chevrolet) and Joey Logano (No. 22 Ford) completed the top four.",
     {KL_POLE} | rows("start_position", "Denny Hamlin", "Chase Elliott", "Joey Logano", first=2) | {
         ("car_number", "Denny Hamlin", None, "11"), ("car_number", "Chase Elliott", None, "9"),
         ("car_number", "Joey Logano", None, "22"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
         ("manufacturer", "Chase Elliott", None, "Chevrolet"), ("manufacturer", "Joey Logano", None, "Ford")}),
    ("with-absolute-clause", Q + "Larson took the pole at 133.823 mph, with Denny Hamlin second at 133.580 mph.",
     {KL_POLE, ("speed_mph", "Kyle Larson", None, 133.823), ("start_position", "Denny Hamlin", None, 2),
      ("speed_mph", "Denny Hamlin", None, 133.58)}),
    ("beside-him", Q + "Denny Hamlin will start beside him.", {KL_POLE, ("start_position", "Denny Hamlin", None, 2)}),
    ("possessive-past-describes", Q + "Last week's winner Ryan Blaney will roll off 12th.",
     {KL_POLE, ("start_position", "Ryan Blaney", None, 12)}),
    ("year-heads-the-sentence", Q + "In 2023, Denny Hamlin started third here.", {KL_POLE}),
    ("behind-x-were", R + "Behind Larson were Denny Hamlin, Chase Elliott and William Byron.",
     {KL_WIN} | rows("finish_position", "Denny Hamlin", "Chase Elliott", "William Byron", first=2)),
    ("paired-names-paired-places", Q + "Sterling Marlin and Ricky Rudd were ninth and 10th.",
     {KL_POLE, ("start_position", "Sterling Marlin", None, 9), ("start_position", "Ricky Rudd", None, 10)}),
    ("run-average-is-no-lap-speed", P + "Denny Hamlin had the best 10-lap average at 131.2 mph.", set()),
    ("past-ride-is-not-the-team", R + "Kyle Busch, who drove for Joe Gibbs Racing until 2022, finished seventh for Richard Childress Racing.",
     {KL_WIN, ("finish_position", "Kyle Busch", None, 7), ("team", "Kyle Busch", None, "Richard Childress Racing")}),
    ("with-x-finishing-second", R + "Larson won the race, with Denny Hamlin finishing second and Chase Elliott third.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 2), ("finish_position", "Chase Elliott", None, 3)}),
    ("won-the-pole-is-not-a-win", R + "William Byron won the pole position with a time of 26.901 seconds.",
     {KL_WIN, ("start_position", "William Byron", None, 1), ("lap_time", "William Byron", None, 26.901)}),
    ("were-next-in-that-order", Q + "Denny Hamlin qualified second and Chase Elliott third. "
     "Joey Logano, Ryan Blaney and William Byron were next, in that order.",
     {KL_POLE} | rows("start_position", "Denny Hamlin", "Chase Elliott", "Joey Logano", "Ryan Blaney", "William Byron", first=2)),
    ("bare-speed-after-at", Q + "Hamlin was second at 133.580 mph, and Chase Elliott was third in a Chevrolet at 133.382.",
     {KL_POLE, ("start_position", "Denny Hamlin", None, 2), ("speed_mph", "Denny Hamlin", None, 133.58),
      ("start_position", "Chase Elliott", None, 3), ("speed_mph", "Chase Elliott", None, 133.382),
      ("manufacturer", "Chase Elliott", None, "Chevrolet")}),
    ("name-as-written-without-suffix",
     " date 2008-06-07 Ron Hornaday Jr. won the NASCAR Craftsman Truck Series race at Texas Motor Speedway. "
     "Johnny Benson finished third.",
     {("finish_position", "Ron Hornaday Jr.", None, 1), ("finish_position", "Johnny Benson", None, 3)}),
    ("settled-for", R + "Denny Hamlin, driving the No. 11, settled for second.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 2), ("car_number", "Denny Hamlin", None, "11")}),
    ("group-rank-in-absolute-clause", Q + "Denny Hamlin was fastest in Group A at 133.501 mph, with William Byron second.",
     {KL_POLE, ("speed_mph", "Denny Hamlin", None, 133.501)}),
    ("qualifying-verb-beats-round-frame", Q + "Ross Chastain topped the second round before qualifying fourth.",
     {KL_POLE, ("start_position", "Ross Chastain", None, 4)}),
    ("make-driver-name", R + "Ford driver Brad Keselowski finished sixth.",
     {KL_WIN, ("finish_position", "Brad Keselowski", None, 6), ("manufacturer", "Brad Keselowski", None, "Ford")}),
    ("plural-make-drivers", R + "Ford drivers Joey Logano and Ryan Blaney finished sixth and seventh.",
     {KL_WIN, ("finish_position", "Joey Logano", None, 6), ("finish_position", "Ryan Blaney", None, 7),
      ("manufacturer", "Joey Logano", None, "Ford"), ("manufacturer", "Ryan Blaney", None, "Ford")}),
    ("held-off-runner-up", D + "Kyle Larson held off Denny Hamlin on Sunday at Phoenix Raceway for his third NASCAR Cup Series victory.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 2)}),
    ("lowercase-no", R + "Denny Hamlin drove his no. 11 Toyota to a fifth-place finish.",
     {KL_WIN, ("car_number", "Denny Hamlin", None, "11"), ("manufacturer", "Denny Hamlin", None, "Toyota"),
      ("finish_position", "Denny Hamlin", None, 5)}),
    ("plural-make-is-not-one-drivers", R + "Toyotas dominated the practice charts, but Christopher Bell finished ninth.",
     {KL_WIN, ("finish_position", "Christopher Bell", None, 9)}),
    ("team-drivers-after-a-dash", Q + "Denny Hamlin qualified second and was followed by the Team Penske drivers – "
     "Joey Logano, Austin Cindric and Ryan Blaney.",
     {KL_POLE} | rows("start_position", "Denny Hamlin", "Joey Logano", "Austin Cindric", "Ryan Blaney", first=2) | {
         ("team", "Joey Logano", None, "Team Penske"), ("team", "Austin Cindric", None, "Team Penske"),
         ("team", "Ryan Blaney", None, "Team Penske")}),
    ("beat-to-the-line", R + "Larson beat Denny Hamlin to the finish line, with Chase Elliott third.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 2), ("finish_position", "Chase Elliott", None, 3)}),
    ("beat-out-of-the-pits-is-no-place", R + "Larson beat Denny Hamlin out of the pits on lap 200.", {KL_WIN}),
    ("ended-the-night", R + "Danica Patrick ended the night 24th.", {KL_WIN, ("finish_position", "Danica Patrick", None, 24)}),
    ("bare-paren-after-a-place", P + "Denny Hamlin was second-quickest at 133.101 mph, and Chase Elliott third (132.9).",
     {("speed_mph", "Denny Hamlin", None, 133.101), ("speed_mph", "Chase Elliott", None, 132.9)}),
    ("row-is-not-a-place", Q + "Martin Truex Jr. will start from the third row in sixth.",
     {KL_POLE, ("start_position", "Martin Truex Jr.", None, 6)}),
    ("slower-than", Q + "Ryan Blaney was 0.023 seconds slower than Larson.",
     {KL_POLE, ("gap", "Kyle Larson", "Ryan Blaney", 0.023)}),
    ("sentence-initial-teammates", Q + "Hendrick Motorsports teammates William Byron and Chase Elliott were third and fourth.",
     {KL_POLE, ("start_position", "William Byron", None, 3), ("start_position", "Chase Elliott", None, 4),
      ("team", "William Byron", None, "Hendrick Motorsports"), ("team", "Chase Elliott", None, "Hendrick Motorsports")}),
    ("car-of-driver", R + "The No. 24 Chevrolet of William Byron finished sixth.",
     {KL_WIN, ("car_number", "William Byron", None, "24"), ("finish_position", "William Byron", None, 6),
      ("manufacturer", "William Byron", None, "Chevrolet")}),
    ("relative-clause-without-comma", Q + "Larson's lap of 26.901 seconds was .05 seconds faster than Denny Hamlin who posted a time of 26.951.",
     {KL_POLE, ("lap_time", "Kyle Larson", None, 26.901), ("lap_time", "Denny Hamlin", None, 26.951),
      ("gap", "Kyle Larson", "Denny Hamlin", 0.05)}),
    ("race-number-is-not-a-car", R + "NASCAR Cup Series Race Number 4\nKyle Larson drove the No. 5 Chevrolet.",
     {KL_WIN, ("car_number", "Kyle Larson", None, "5")}),
    ("owner-before-owned-car", Q + "Ryan Preece drove the Rick Ware-owned No. 51 Ford and will start 30th.",
     {KL_POLE, ("start_position", "Ryan Preece", None, 30), ("car_number", "Ryan Preece", None, "51")}),
    ("points-place-is-not-a-finish", R + "Larson leads the standings with 300 points to 280 for Denny Hamlin in second.",
     {KL_WIN}),
    ("sponsor-in-name-cell", Q + "Pos Car Driver Time\n1 5 Kyle Larson HendrickCars.com 26.901\n2 11 Denny Hamlin FedEx 26.950\n"
     "3 9 Chase Elliott NAPA 26.990\n",
     rows("start_position", "Kyle Larson", "Denny Hamlin", "Chase Elliott") | {
         ("car_number", "Kyle Larson", None, "5"), ("car_number", "Denny Hamlin", None, "11"),
         ("car_number", "Chase Elliott", None, "9"), ("lap_time", "Kyle Larson", None, 26.901),
         ("lap_time", "Denny Hamlin", None, 26.95), ("lap_time", "Chase Elliott", None, 26.99)}),
    ("bare-lap-after-at", Q + "Larson's lap was 27.974 seconds. Denny Hamlin was third at 28.136.",
     {KL_POLE, ("lap_time", "Kyle Larson", None, 27.974), ("lap_time", "Denny Hamlin", None, 28.136),
      ("start_position", "Denny Hamlin", None, 3)}),
]

STATS = [
    ("margin-of-victory-was", R + "The margin of victory was 0.011 seconds.", {KL_WIN, ("margin_of_victory", None, None, 0.011)}),
    ("winners-average-possessive", R + "Larson's average speed was 98.101 mph.", {KL_WIN, ("average_speed_mph", None, None, 98.101)}),
    ("at-an-average-of", R + "Larson won at an average of 98.101 mph.", {KL_WIN, ("average_speed_mph", None, None, 98.101)}),
    ("averaging-winner", R + "Larson, averaging 98.101 mph, beat Denny Hamlin by 1.2 seconds.",
     {KL_WIN, ("average_speed_mph", None, None, 98.101), ("finish_position", "Denny Hamlin", None, 2),
      ("gap", "Kyle Larson", "Denny Hamlin", 1.2), ("margin_of_victory", None, None, 1.2)}),
    ("n-car-field", R + "Larson beat a 36-car field.", {KL_WIN, ("entries", None, None, 36)}),
    ("gap-to-third-is-no-margin", R + "Denny Hamlin was 3.2 seconds back in third.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 3), ("gap", "Kyle Larson", "Denny Hamlin", 3.2)}),
    ("gap-to-third-is-no-margin-2", R + "Denny Hamlin finished third, 3.2 seconds behind.",
     {KL_WIN, ("finish_position", "Denny Hamlin", None, 3), ("gap", "Kyle Larson", "Denny Hamlin", 3.2)}),
    ("led-n-times-for", R + "Larson led four times for 112 laps.", {KL_WIN, ("laps_led", "Kyle Larson", None, 112)}),
    ("paced-the-field", R + "Larson paced the field for 112 of 312 laps.",
     {KL_WIN, ("laps_led", "Kyle Larson", None, 112), ("total_laps", None, None, 312)}),
    ("cars-started", R + "Thirty-six cars started the race.", {KL_WIN, ("entries", None, None, 36)}),
    ("started-on-the-lead-lap-is-not-the-field", R + "Only 12 cars started on the lead lap for the restart.", {KL_WIN}),
    ("different-leaders", R + "There were nine different leaders and 14 lead changes.",
     {KL_WIN, ("leaders", None, None, 9), ("lead_changes", None, None, 14)}),
    ("shortened", R + "Rain shortened the race to 187 laps.", {KL_WIN, ("total_laps", None, None, 187)}),
    ("extended", R + "Overtime extended the race to 318 laps.", {KL_WIN, ("total_laps", None, None, 318)}),
    ("average-after-winner", R + "Larson averaged 98.101 mph.", {KL_WIN, ("average_speed_mph", None, None, 98.101)}),
    pytest.param("winning-average-possessive", R + "Larson's winning average speed was 98.101 mph.",
                 {KL_WIN, ("average_speed_mph", None, None, 98.101)},
                 id="winning-average-possessive"),
]


@pytest.mark.parametrize("name,text,expected", BLOCKS + OWNERS + STATS,
                         ids=[c.id if hasattr(c, "marks") else c[0] for c in BLOCKS + OWNERS + STATS])
def test_construction_exactly(name, text, expected):
    got = facts(text, {t for t, *_ in expected} | {"start_position", "finish_position", "car_number",
                                                    "lap_time", "speed_mph", "gap", "entries", "leaders",
                                                    "total_laps", "average_speed_mph", "margin_of_victory"})
    assert got == expected, f"missing {expected - got}; extra {got - expected}"


def test_contradiction_is_resolved_and_reported():
    """One driver given two finishing positions: one is kept, the record says which was dropped."""
    text = R + "Results\n1. Kyle Larson\n2. Denny Hamlin\n3. Chase Elliott\n\nHamlin finished fifth."
    rec = extract(text, doc_id="t")
    hamlin = [f.value for f in rec.facts if f.type == "finish_position" and f.driver == "Denny Hamlin"]
    assert hamlin == [2]
    sel = [c for c in rec.checks if c.name == "selection"]
    assert sel and "finish_position 5" in sel[0].message


def test_no_two_drivers_share_a_car_number():
    text = Q + "Denny Hamlin drives the No. 11 Toyota.\n\nPos Car Driver Time Speed\n1 5 Kyle Larson 26.901 133.823\n" \
               "2 11 Denny Hamlin 26.950 133.580\n3 11 Chase Elliott 26.990 133.382\n"
    rec = extract(text, doc_id="t")
    holders = {}
    for f in rec.facts:
        if f.type == "car_number":
            holders.setdefault(f.value, set()).add(f.driver)
    assert all(len(v) == 1 for v in holders.values()), holders


EVENTS = [
    # a race named for a sponsor that shares a series' name
    ("sponsor-named-like-a-series", " date 2024-10-28 William Byron won the Xfinity 500 at Martinsville Speedway on Sunday.",
     "event_name", "Xfinity 500"),
    ("sponsor-named-like-a-series-votes-for-no-series",
     " date 2024-10-28 William Byron won the Xfinity 500 NASCAR Cup Series race at Martinsville Speedway on Sunday.",
     "series", "Cup"),
    # A weekday's direction from the article's date follows its clause's tense.
    ("preview-session-days-ahead",
     " date 2024-05-22 Corey Heim leads the NASCAR Craftsman Truck Series into Charlotte Motor Speedway this week. "
     "Practice is Thursday at 5 p.m. and qualifying Friday at 3:05 p.m.", "qualifying_date", "2024-05-24"),
    ("report-race-day-behind-even-after-a-pole-lede",
     " date 2024-05-26 Corey Heim, who won the pole on Friday, finished third in the NASCAR Craftsman Truck Series "
     "race at Charlotte Motor Speedway on Friday night.", "race_date", "2024-05-24"),
    ("gap-ahead-of-is-no-future",
     " date 2024-05-26 Corey Heim took the checkered flag 0.3 seconds ahead of Ty Majeski in the NASCAR Craftsman "
     "Truck Series race at Charlotte Motor Speedway Friday night.", "race_date", "2024-05-24"),
    ("pole-for-the-coming-race",
     " date 2024-05-25 Kyle Larson won the pole for Sunday's NASCAR Cup Series race at Charlotte Motor Speedway.",
     "race_date", "2024-05-26"),
    ("truck-weekend", D + "Ty Majeski won the pole for the NASCAR Craftsman Truck Series race at Martinsville Speedway. "
                         "Cup Series regulars were off this weekend.", "series", "Truck"),
    ("xfinity-weekend", D + "Austin Hill won the NASCAR Xfinity Series race at Phoenix Raceway on Saturday. "
                           "Kyle Larson, the NASCAR Cup Series points leader, ran third.", "series", "Xfinity"),
    ("sponsor-full", D + "Kyle Larson won the pole for the Shriners Children's 500 at Phoenix Raceway.",
     "event_name", "Shriners Children's 500"),
    ("sponsor-with-small-words", D + "Ty Majeski took the top spot for the Blue Ridge Hotel and Spa 250 at Martinsville Speedway.",
     "event_name", "Blue Ridge Hotel and Spa 250"),
    ("sponsor-starting-with-a-preposition", D + "Kyle Busch won the In It To Win It 200 at Darlington Raceway.",
     "event_name", "In It To Win It 200"),
    ("sentence-preposition-is-not-the-name", D + "In Sunday's Ally 400 at Nashville Superspeedway, Kyle Larson won.",
     "event_name", "Ally 400"),
    ("results-header-date", " date 2020-10-04 Raphael Lessard won at Talladega Superspeedway.\nRace Results\n"
     "Chevrolet Silverado 250 – Saturday, October 3, 2020\n1- Raphael Lessard\n2 – Trevor Bayne\n3 – Chandler Smith\n",
     "race_date", "2020-10-03"),
    ("rained-out-qualifying", D + "Saturday's qualifying was rained out at Martinsville Speedway, so Kyle Larson starts first "
     "in Sunday's NASCAR Cup Series race.", "qualifying_date", None),
    ("series-possessive-before-name", D + "Ty Majeski won the NASCAR Craftsman Truck Series' Long John Silver's 200 at Martinsville Speedway.",
     "event_name", "Long John Silver's 200"),
    ("short-sentence-weekday", D + "Kyle Larson will start first in Sunday's Shriners Children's 500 at Phoenix Raceway. "
     "Qualifying was held on Saturday.", "qualifying_date", "2024-03-09"),
    ("was-held-this-weekend", D + "Kyle Larson starts first in Sunday's race at Phoenix Raceway after qualifying was held on Saturday.",
     "race_date", "2024-03-10"),
    ("tonight", D + "Kyle Larson won the pole for tonight's NASCAR Cup Series race at Phoenix Raceway.",
     "race_date", "2024-03-09"),
    ("tomorrow", D + "Kyle Larson won the NASCAR Cup Series pole at Phoenix Raceway. The race starts tomorrow at 3:30 p.m.",
     "race_date", "2024-03-10"),
    ("captured-is-a-race-lede", " date 2024-06-10 William Byron captured the NASCAR Cup Series race at Sonoma Raceway on Sunday. "
     "Starting from the pole, he led 48 laps.", "race_date", "2024-06-09"),
    ("claimed-is-a-race-lede", " date 2024-06-10 William Byron claimed Sunday's NASCAR Cup Series race at Sonoma Raceway "
     "after starting from the pole.", "race_date", "2024-06-09"),
    ("race-lede-before-qualifying-words", " date 2024-03-11 Kyle Larson won Sunday's NASCAR Cup Series race at Phoenix "
     "Raceway after qualifying on the pole Saturday.", "race_date", "2024-03-10"),
    ("race-date-beside-qualifying-words", " date 2024-03-11 Kyle Larson won the NASCAR Cup Series race at Phoenix Raceway "
     "on Sunday after qualifying third on Saturday.", "race_date", "2024-03-10"),
    ("race-date-beside-a-pole-word", " date 2024-03-11 Kyle Larson won the NASCAR Cup Series race at Phoenix Raceway "
     "on Sunday, a day after he won the pole.", "race_date", "2024-03-10"),
    ("qualifying-date-beside-race-words", D + "Kyle Larson earned the pole for the NASCAR Cup Series race at Phoenix "
     "Raceway on Saturday.", "qualifying_date", "2024-03-09"),
    ("weekday", D + "Kyle Larson won the pole Friday at Phoenix Raceway for Sunday's NASCAR Cup Series race.",
     "race_date", "2024-03-10"),
]


@pytest.mark.parametrize("name,text,field,want", EVENTS, ids=[e[0] for e in EVENTS])
def test_event_fields(name, text, field, want):
    assert getattr(extract(text, doc_id="t", checks=False).event, field) == want


@xfail("a date with words of both sessions near it takes the article's kind: here the race's, and the race date "
       "is already set, so the qualifying date stays empty (a miss, not a wrong date)")
def test_qualifying_date_after_a_race_lede():
    text = (" date 2024-03-11 Kyle Larson won Sunday's NASCAR Cup Series race at Phoenix Raceway after qualifying on "
            "the pole Saturday.")
    assert extract(text, doc_id="t", checks=False).event.qualifying_date == "2024-03-09"


def test_every_fact_has_a_defined_rule_and_a_confidence():
    from extractor.pipeline import default_extractor
    ex = default_extractor()
    for _, text, _ in [c for c in BLOCKS + OWNERS + STATS if not hasattr(c, "marks")]:
        for f in ex(text, doc_id="t", checks=False).facts:
            assert f.rule in ex.rules and f.type in ex.rules[f.rule].types, f
            assert f.confidence is not None and 0 <= f.confidence <= 1, f
