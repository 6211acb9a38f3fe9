#include "daemon/detect/classify.hpp"

namespace roadspeed {

VehicleClass classify_length(double length_m, const LengthClasses& classes) {
  if (length_m <= classes.two_wheeler_max_m) return VehicleClass::two_wheeler;
  if (length_m <= classes.car_max_m) return VehicleClass::car;
  if (length_m <= classes.van_max_m) return VehicleClass::van;
  if (length_m <= classes.truck_max_m) return VehicleClass::truck;
  return VehicleClass::articulated;
}

VehicleClass classify_length(std::optional<double> length_m, const LengthClasses& classes) {
  return length_m ? classify_length(*length_m, classes) : VehicleClass::unclassified;
}

}  // namespace roadspeed
